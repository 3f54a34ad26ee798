# docs/ticket-flow.md's ticket, just entered: a store in ./helpdesk (the folder the example runs in).
at 2026-11-01T08:00 pcsdesk --as padmin@pcschools.us init helpdesk
cd helpdesk
at 2026-11-30T07:40 pcsdesk --as jsmith@pcschools.us new --building PCHS --category av \
    --summary "Projector in room 204 shows no signal" \
    --description "Laptop shows the desktop; the projector says No Input. Cables reseated, both restarted."
