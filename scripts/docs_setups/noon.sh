# The morning store (morning.sh) at noon the same Thursday: the NOC answered the gym's
# Wi-Fi ticket at 09:59, a day late.
at 2026-12-03T09:59 pcsdesk --as netops@pcschools.us note "$(ticket_id "Gym Wi-Fi drops")" \
    -m "Replaced the gym access point's PoE injector; stable since 09:40."
