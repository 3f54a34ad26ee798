# docs/ticket-flow.md: someone corrects the ticket's summary in their editor (not yet committed).
git config user.name "Pat Admin"
git config user.email padmin@pcschools.us
file="$(grep -rlF -- "summary: Projector in room 204 shows no signal" tickets)"
sed -i 's/^summary: Projector in room 204 shows no signal$/&(HDBaseT)/; s/signal(HDBaseT)$/signal (HDBaseT)/' "$file"
