# The overdue report's store (docs/overdue-and-report.md) as it stands at 06:30 on Thursday
# 2026-12-03: five tickets of the Monday after Thanksgiving, one of the week before, one of
# Tuesday; two answered or closed, the others waiting.
at 2026-11-01T08:00 pcsdesk --as padmin@pcschools.us init helpdesk
cd helpdesk
at 2026-11-25T14:30 pcsdesk --as jsmith@pcschools.us new --building PCHS --category av \
    --summary "Projector in room 204 shows no signal" \
    --description "Laptop shows the desktop; projector says No Input." --checked cables --checked restart
at 2026-11-30T07:40 pcsdesk --as aide.tmjh@pcschools.us new --building TMJH --requester mgarcia@pcschools.us \
    --category printing --summary "Library printer jams on every job"
at 2026-11-30T08:05 pcsdesk --as coach@pcschools.us new --building EHMS --category network \
    --summary "Gym Wi-Fi drops every few minutes"
at 2026-11-30T09:10 pcsdesk --as ets.do@pcschools.us new --building DO --category phones --emergency \
    --summary "Front office phones have no dial tone"
at 2026-11-30T09:30 pcsdesk --as teacher.tes@pcschools.us new --building TES --category email \
    --summary "Please reset my email password"
at 2026-11-30T09:45 pcsdesk --as teacher.tes@pcschools.us close "$(ticket_id "Please reset my email password")" \
    -m "Found the reset page myself."
at 2026-11-30T10:15 pcsdesk --as ets.tmjh@pcschools.us note "$(ticket_id "Library printer jams")" \
    -m "Cleared a jam; ordering a roller kit."
at 2026-12-01T13:15 pcsdesk --as jsmith@pcschools.us new --building PCHS --category hardware \
    --summary "Chromebook cart 3 will not charge"
