# docs/reviewing.md: a store on the district's server (a bare repository here, ../server.git)
# and this clone of it, in ./helpdesk; a ticket the ETS noted and closed, the tech noted.
at 2026-11-01T08:00 pcsdesk --as padmin@pcschools.us init helpdesk
cd helpdesk
at 2026-11-30T09:00 pcsdesk --as jsmith@pcschools.us new --building PCHS --category av \
    --summary "Projector in room 212 flickers" --description "It flickers every few seconds."
id="$(ticket_id "Projector in room 212 flickers")"
at 2026-11-30T10:00 pcsdesk --as ets.pchs@pcschools.us note "$id" -m "Checked the input source: HDMI 1"
at 2026-11-30T10:30 pcsdesk --as tech.pchs@pcschools.us note "$id" -m "Lamp is fine; trying another HDMI cable"
at 2026-11-30T11:00 pcsdesk --as ets.pchs@pcschools.us close "$id" -m "Cable replaced; picture is back"
git clone -q --bare . ../server.git
git remote add origin ../server.git
git fetch -q origin
git branch -q -u origin/main
