"""The quick reader's contract: every ticket file pcsdesk writes is read on the fast path, exactly as PyYAML reads it.

tests/store/test_index.py checks the reader against PyYAML on awkward and damaged
files (where declining is allowed); this file checks the other half: a change to
the writer, the ticket model or the reader that pushes pcsdesk's own files off
the fast path (and so slows a cold index rebuild by half) fails here. Two kinds of
text are knowingly left out of the generator, below: a line that ends in a space,
and a text that starts with one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcsdesk.rules.ids import ALPHABET
from pcsdesk.rules.ticket import CHECKLIST, NOTE_KINDS, Note, Ticket, ticket_to_data
from pcsdesk.store.quickyaml import quick_load
from pcsdesk.store.yamlio import dump_yaml, load_yaml

DENVER = ZoneInfo("America/Denver")

# What people type into a ticket: words in English and Spanish, digits, punctuation,
# quotes, colons and hashes, bullets, paths, addresses, the ellipsis and dashes.
CHARACTERS = st.sampled_from([
    *"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    *" .,;:!?'\"()[]{}#%&*+=-_/\\@<>|~^`$", "é", "ñ", "ü", "¿", "¡", "…", "—", "–", "“", "”", "’",
])
# A line ending in a space, and a text starting with one, are left out: PyYAML cannot
# write them as a block scalar and quotes the text over several lines, which the
# quick reader leaves to the full loader (correct, and slower; bench/fastpaths.py
# counts such files in a store). Texts stay within the writer's width (100): a longer
# one-line text is folded, and a folded line that starts with an indicator is left to
# PyYAML too.
LINE = st.text(alphabet=CHARACTERS, min_size=1, max_size=80).map(str.rstrip).filter(bool)
TEXT = st.lists(st.one_of(LINE, st.just(""), LINE.map(lambda s: "- " + s), LINE.map(lambda s: "  " + s)),
                min_size=1, max_size=6).map("\n".join).map(str.strip)
SUMMARY = st.lists(st.text(alphabet=CHARACTERS.filter(lambda c: c != " "), min_size=1, max_size=15),
                   min_size=1, max_size=12).map(" ".join).map(lambda s: s[:80].strip()).filter(bool)
EMAIL = st.sampled_from(["jsmith@pcschools.us", "ets.pchs@pcschools.us", "tech.pchs@pcschools.us",
                         "netops@pcschools.us", "maria.garcia@pcschools.us", "o'neil@pcschools.us"])
ENTERED = st.datetimes(min_value=datetime(2024, 8, 1), max_value=datetime(2027, 6, 4)).map(
    lambda t: t.replace(microsecond=0, tzinfo=DENVER).astimezone(DENVER))


@st.composite
def tickets(draw: st.DrawFn) -> Ticket:
    entered = draw(ENTERED)
    notes = []
    at = entered
    for _ in range(draw(st.integers(0, 6))):
        at = (at + timedelta(seconds=draw(st.integers(1, 400_000)))).astimezone(DENVER)
        kind = draw(st.sampled_from(NOTE_KINDS))
        to = draw(EMAIL) if kind in ("assign", "escalate") or (draw(st.booleans()) and kind == "note") else None
        notes.append(Note(at=at, by=draw(EMAIL), kind=kind, text=draw(TEXT), to=to))
    number = "".join(draw(st.lists(st.sampled_from(ALPHABET), min_size=5, max_size=5)))
    return Ticket(
        id=f"{entered:%y%m}-{number}",
        status=draw(st.sampled_from(["open", "closed"])),
        priority=draw(st.sampled_from(["normal", "emergency"])),
        building=draw(st.sampled_from(["PCHS", "DO", "TMJH", "EHMS"])),
        category=draw(st.one_of(st.none(), st.sampled_from(["av", "network", "phones", "accounts"]))),
        summary=draw(SUMMARY),
        description=draw(st.one_of(st.just(""), TEXT)),
        requester=draw(EMAIL),
        entered_by=draw(EMAIL),
        entered_at=entered,
        assignee=draw(EMAIL),
        first_response_at=notes[0].at if notes and draw(st.booleans()) else None,
        checklist=draw(st.dictionaries(st.sampled_from(list(CHECKLIST)), st.booleans())),
        notes=tuple(notes),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tickets())
def test_every_file_pcsdesk_writes_is_read_on_the_fast_path(ticket: Ticket) -> None:
    text = dump_yaml(ticket_to_data(ticket, DENVER)).encode()
    assert quick_load(text) == load_yaml(text, "t.yaml")   # Declined would fail the test
