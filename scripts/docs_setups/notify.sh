# docs/notify.md: the server's clone; notify has run once (so it starts from here), then a
# teacher entered a ticket and the ETS answered it.
at 2026-11-01T08:00 pcsdesk --as padmin@pcschools.us init helpdesk
cd helpdesk
at 2026-11-30T08:00 pcsdesk notify
at 2026-11-30T09:40 pcsdesk --as jsmith@pcschools.us new --building PCHS --category av \
    --summary "Projector in room 204 shows no signal" \
    --description "Laptop shows the desktop; projector says No Input."
at 2026-11-30T10:00 pcsdesk --as ets.pchs@pcschools.us note "$(ticket_id "Projector in room 204 shows no signal")" \
    -m "Seen it: no signal on either input. Coming by after second period."
