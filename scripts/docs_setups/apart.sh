# On top of review.sh: the clone in ./helpdesk is the building tech's laptop; ../office is
# the ETS's clone. While apart, the tech notes the ticket and enters another; the ETS
# notes it too and pushes.
id="$(ticket_id "Projector in room 212 flickers")"
git clone -q ../server.git ../office
(
    cd ../office
    at 2026-11-30T11:20 pcsdesk --as ets.pchs@pcschools.us note "$id" -m "Asked the teacher to watch it over lunch"
    at 2026-11-30T11:25 pcsdesk --as ets.pchs@pcschools.us new --building PCHS --category av \
        --summary "Document camera in room 212 is upside down"
    git push -q origin main
)
at 2026-11-30T11:10 pcsdesk --as tech.pchs@pcschools.us note "$id" -m "Left a spare HDMI cable on the cart"
at 2026-11-30T11:15 pcsdesk --as tech.pchs@pcschools.us new --building PCHS --category hardware \
    --summary "Teacher laptop in room 212 will not wake"
export PCSDESK_USER=tech.pchs@pcschools.us
