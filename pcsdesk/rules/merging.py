"""Merging two versions of one ticket: every note from both sides in time order, fields from the log.

The same function serves `pcsdesk sync` and the git merge driver, so a `git pull`
and a sync give the same file. It must give the same result in every clone,
whichever side is "ours": the result depends only on the set {ours, theirs}.

Notes. Each side's log is a chain; a note both sides hold (the same at, by, kind,
to, text and extra keys) is one note. The merged log is the union of the two
chains, ordered so that every side's order is kept and, wherever both orders
allow either, the earlier note (by at, then by, kind, to, text) comes first: a
topological sort of the two chains that always takes the smallest note that may
come next. With each side appending to a shared history this is a merge of the
two sides' new notes by time after the common notes; a side whose log already
interleaves notes from an earlier merge keeps that interleaving. Refused, as real
conflicts: a base note missing from a side (removed or edited), base notes in
another order on a side, and two sides that hold common notes in different orders.

Fields. status, first_response_at and (when the log hands the ticket over)
assignee are re-derived from the merged log. id, entered_at, requester and
entered_by never change: a change on either side is a conflict. Any other field
takes the side that changed it; two different changes are a conflict.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import replace
from itertools import pairwise
from typing import Any

from pcsdesk.errors import StoreConflict
from pcsdesk.rules.ticket import Note, Ticket, derive_from_log

IMMUTABLE_FIELDS = ("id", "entered_at", "requester", "entered_by")
# Fields taken from the side that changed them; assignee only while the log has no hand-over.
MERGED_FIELDS = ("priority", "building", "category", "summary", "description", "checklist",
                 "others_affected")


class TicketMergeConflict(StoreConflict):
    """Two versions of a ticket that cannot be merged safely; `problems` says why, one per item."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


_MISSING = object()
NoteId = tuple[tuple[Any, ...], int]   # a note's identity and which occurrence of it


def _canonical(value: Any) -> Any:
    """A value as nested tuples in a fixed order, so identical data compares and sorts alike.

    Sets and mappings are sorted: their own order could differ between processes.
    """
    if isinstance(value, dict):
        return ("map", tuple(sorted((repr(_canonical(k)), repr(_canonical(v))) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return ("seq", tuple(repr(_canonical(v)) for v in value))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(repr(_canonical(v)) for v in value)))
    return (type(value).__name__, repr(value))


def note_key(note: Note) -> tuple[Any, ...]:
    """A note's identity, which is also its place in the time order."""
    return (note.at, note.by, note.kind, note.to or "", note.text, repr(_canonical(list(note.extra))))


def describe_note(note: Note) -> str:
    return f"the {note.kind} of {note.at.isoformat()} by {note.by}"


def _identities(notes: Sequence[Note]) -> list[NoteId]:
    seen: Counter[tuple[Any, ...]] = Counter()
    out: list[NoteId] = []
    for note in notes:
        key = note_key(note)
        out.append((key, seen[key]))
        seen[key] += 1
    return out


def _base_kept(base: Sequence[Note], base_ids: list[NoteId], side: list[NoteId], name: str) -> list[str]:
    """Problems when a side lost, changed or reordered a note the base holds."""
    position = {identity: index for index, identity in enumerate(side)}
    problems: list[str] = []
    last = -1
    for note, identity in zip(base, base_ids, strict=True):
        found = position.get(identity)
        if found is None:
            problems.append(f"{describe_note(note)} was removed or edited in {name}")
        elif found < last:
            problems.append(f"{describe_note(note)} was moved in {name}")
        else:
            last = found
    return problems


def merge_notes(base: Sequence[Note], ours: Sequence[Note], theirs: Sequence[Note]) -> tuple[Note, ...]:
    """Every note of both sides, each side's order kept, earlier notes first where free."""
    base_ids, our_ids, their_ids = _identities(base), _identities(ours), _identities(theirs)
    problems = _base_kept(base, base_ids, our_ids, "ours") + _base_kept(base, base_ids, their_ids, "theirs")
    if problems:
        raise TicketMergeConflict(problems)
    notes: dict[NoteId, Note] = {}
    after: dict[NoteId, set[NoteId]] = {}
    waiting: Counter[NoteId] = Counter()
    for chain, ids in ((ours, our_ids), (theirs, their_ids)):
        for note, identity in zip(chain, ids, strict=True):
            notes[identity] = note
            after.setdefault(identity, set())
        for earlier, later in pairwise(ids):
            if later not in after[earlier]:
                after[earlier].add(later)
                waiting[later] += 1
    ready = [(key, occurrence) for key, occurrence in notes if waiting[(key, occurrence)] == 0]
    heapq.heapify(ready)
    merged: list[Note] = []
    while ready:
        identity = heapq.heappop(ready)
        merged.append(notes[identity])
        for later in after[identity]:
            waiting[later] -= 1
            if waiting[later] == 0:
                heapq.heappush(ready, later)
    if len(merged) != len(notes):
        raise TicketMergeConflict(["the two versions hold the same notes in a different order"])
    return tuple(merged)


def _three_way(name: str, base: Any, ours: Any, theirs: Any) -> Any:
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    raise TicketMergeConflict([f"{name} was changed on both sides, to different values"])


def merge_tickets(base: Ticket | None, ours: Ticket, theirs: Ticket, staff: Collection[str]) -> Ticket:
    """The merge of two versions of one ticket, or TicketMergeConflict naming every problem.

    `base` is None when both sides created the ticket (the same ID on both sides):
    identical tickets are one ticket, different ones a conflict. `staff` (lower-case
    emails) decides which log entry is the first response.
    """
    if base is None:
        if ours == theirs:
            return ours
        raise TicketMergeConflict([
            f"both sides created ticket {ours.id} and the two differ: two tickets got the same ID"
        ])
    problems = [
        f"{name} was changed (it never changes)"
        for name in IMMUTABLE_FIELDS
        if getattr(ours, name) != getattr(base, name) or getattr(theirs, name) != getattr(base, name)
    ]
    fields: dict[str, Any] = {}
    for name in MERGED_FIELDS:
        try:
            fields[name] = _three_way(name, getattr(base, name), getattr(ours, name), getattr(theirs, name))
        except TicketMergeConflict as e:
            problems += e.problems
    try:
        notes = merge_notes(base.notes, ours.notes, theirs.notes)
    except TicketMergeConflict as e:
        problems += e.problems
        notes = ours.notes
    if not any(note.to for note in notes):
        try:
            fields["assignee"] = _three_way("assignee", base.assignee, ours.assignee, theirs.assignee)
        except TicketMergeConflict as e:
            problems += e.problems
    extra = _merge_extra(base.extra, ours.extra, theirs.extra, problems)
    if problems:
        raise TicketMergeConflict(problems)
    merged = replace(ours, notes=notes, extra=extra, **fields)
    return derive_from_log(merged, staff)


def _merge_extra(
    base: tuple[tuple[str, Any], ...],
    ours: tuple[tuple[str, Any], ...],
    theirs: tuple[tuple[str, Any], ...],
    problems: list[str],
) -> tuple[tuple[str, Any], ...]:
    """Fields this version does not know, merged key by key like the others."""
    base_map, our_map, their_map = dict(base), dict(ours), dict(theirs)
    # The sides' order when they agree, else sorted: the same result in every clone.
    names = list(our_map) if list(our_map) == list(their_map) else sorted(set(our_map) | set(their_map))
    merged: list[tuple[str, Any]] = []
    for name in names:
        try:
            value = _three_way(name, base_map.get(name, _MISSING), our_map.get(name, _MISSING),
                               their_map.get(name, _MISSING))
        except TicketMergeConflict as e:
            problems += e.problems
            continue
        if value is not _MISSING:
            merged.append((name, value))
    return tuple(merged)
