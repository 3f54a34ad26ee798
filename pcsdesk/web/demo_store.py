"""`pcsdesk serve --demo`: a throwaway store with a few realistic tickets and the people to sign in as."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from pcsdesk.desk import actions
from pcsdesk.desk.actions import Actor, NewTicket
from pcsdesk.store.setup import default_calendar, init_store
from pcsdesk.store.store import Store

TEACHER = "jsmith@pcschools.us"
AIDE = "aide.pchs@pcschools.us"
ETS = "ets.pchs@pcschools.us"
TECH = "tech.pchs@pcschools.us"
NETOPS = "netops@pcschools.us"

PEOPLE: tuple[tuple[str, str], ...] = (
    (TEACHER, "a teacher at Park City High School (a requester)"),
    (AIDE, "an office aide who enters tickets for co-workers"),
    (ETS, "the building ETS at Park City High School (staff)"),
    (TECH, "the building tech at Park City High School (staff)"),
    (NETOPS, "the Network Operations Center (staff)"),
)


def make_demo_store(folder: Path, now: datetime) -> Path:
    """A new store in `folder` with tickets entered over the last few days."""
    tz = default_calendar().tz
    now = now.astimezone(tz)
    root = init_store(folder, ETS, now - timedelta(days=7))
    store = Store(root)
    try:
        def at(days: float) -> Actor:
            return Actor(ETS, now - timedelta(days=days))

        projector = actions.create_ticket(store, Actor(TEACHER, now - timedelta(days=4)), NewTicket(
            building="PCHS", category="av", summary="Projector in room 204 shows no signal",
            description="Laptop shows the desktop; the projector says No Input.\nTried a second HDMI cable.",
            checklist={"cables": True, "restart": True},
        ))
        actions.add_note(store, at(3.9), projector.id, "Coming by after second period with a spare adapter.")
        actions.create_ticket(store, Actor(AIDE, now - timedelta(days=2)), NewTicket(
            building="PCHS", category="printing", requester=TEACHER,
            summary="Library printer jams on every job",
        ))
        actions.create_ticket(store, Actor(TEACHER, now - timedelta(hours=3)), NewTicket(
            building="PCHS", category="network", summary="Wi-Fi in room 118 drops every few minutes",
            checklist={"relogin": True, "restart": True, "internet": True},
        ))
        phones = actions.create_ticket(store, Actor(ETS, now - timedelta(days=1)), NewTicket(
            building="PCHS", category="phones", emergency=True,
            summary="Front office phones have no dial tone",
        ))
        # Phones route to Phone Systems already: the ETS adds what they saw (a hand-over to
        # the team that holds it is refused, as on the command line).
        actions.add_note(store, at(0.95), phones.id, "Whole front office; handsets show 'No service'.")
        actions.close(store, Actor("phones@pcschools.us", now - timedelta(days=0.9)), phones.id,
                      "PoE switch in the MDF rebooted; dial tones are back.")
    finally:
        store.close()
    return root
