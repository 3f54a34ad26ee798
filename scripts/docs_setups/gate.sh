# On top of review.sh: the server's bare repository runs `pcsdesk pre-receive`, the
# building tech pushes from this clone (REMOTE_USER, as the web server would set it), and
# the clone holds a note the tech made in the ETS's name.
printf '#!/bin/sh\nexec pcsdesk pre-receive\n' > ../server.git/hooks/pre-receive
chmod +x ../server.git/hooks/pre-receive
export REMOTE_USER=tech.pchs@pcschools.us PCSDESK_USER=tech.pchs@pcschools.us
at 2026-12-01T08:00 pcsdesk --as ets.pchs@pcschools.us note "$(ticket_id "Projector in room 212 flickers")" \
    -m "Teacher says it is fine since the cable swap"
