# On top of review.sh: the tech (here) and the ETS (../office) each correct the ticket's
# summary by hand, differently, and the ETS pushes first.
file="$(grep -rlF -- "summary: Projector in room 212 flickers" tickets)"
git clone -q ../server.git ../office
(
    cd ../office
    sed -i 's/^summary: .*/summary: Projector in room 212 flickers (Epson)/' "$file"
    git -c user.name="PCHS ETS" -c user.email=ets.pchs@pcschools.us commit -q -am "Name the projector"
    git push -q origin main
)
sed -i 's/^summary: .*/summary: Projector in room 212 flickers on HDMI/' "$file"
git -c user.name="PCHS tech" -c user.email=tech.pchs@pcschools.us commit -q -am "Say which input"
export PCSDESK_USER=tech.pchs@pcschools.us
