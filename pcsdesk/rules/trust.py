"""Whether the record can be trusted: entries dated when they were made, by whom made them.

Git history is the audit trail, so what a ticket's log says about who did what,
and when, is held against the commits that added each entry (docs/reviewing.md, the
problems `check` reports). Pure: the store finds which commit added which entry and
hands over a `Commit` for each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from pcsdesk.rules.merging import describe_note, note_key
from pcsdesk.rules.ticket import Note, Ticket
from pcsdesk.rules.validation import Problem

# How far an entry's `at` may be from the committer date of the commit that added it:
# a clock a few minutes off is honest; a note dated last week is not.
BACKDATING_LIMIT = timedelta(minutes=15)


class Commit(NamedTuple):
    """What the trust rules need to know of a commit."""

    oid: str
    author: str             # the author's email, as git holds it
    committed_at: datetime  # the committer date
    parents: int

    @property
    def short(self) -> str:
        return self.oid[:10]

    @property
    def is_merge(self) -> bool:
        return self.parents > 1


def new_entries(base: Ticket | None, now: Ticket) -> list[int]:
    """The indexes in `now.notes` of the entries that `base` does not hold (all of them for a new ticket)."""
    held: Counter[tuple[Any, ...]] = Counter(note_key(note) for note in base.notes) if base else Counter()
    fresh = []
    for index, note in enumerate(now.notes):
        key = note_key(note)
        if held[key] > 0:
            held[key] -= 1
        else:
            fresh.append(index)
    return fresh


def _when(commit: Commit) -> str:
    return commit.committed_at.isoformat()


def entry_problems(
    base: Ticket | None,
    now: Ticket,
    added_by: Mapping[tuple[Any, ...], Commit],
    base_name: str = "the base",
) -> list[Problem]:
    """What is wrong with the entries added since `base`, given the commit that added each.

    `added_by` maps an entry's identity (merging.note_key) to the commit that first
    held it; an entry without one is not judged on its commit. A merge commit's author
    is the one who synced, not who wrote the entries it brought in: those are judged
    on the commits that first held them, so only an entry that appears first in the
    merge itself is held against its author.
    """
    problems: list[Problem] = []
    latest_at_base = max((note.at for note in base.notes), default=None) if base else None
    fresh = new_entries(base, now)
    # An entry at the base that is gone, and a new one with its time, author and kind:
    # an edit, which validation.compare_with_base reports; it is not a new entry too.
    gone = {(n.at, n.by, n.kind) for i, n in enumerate(base.notes) if i in new_entries(now, base)} if base else set()
    for index in fresh:
        note = now.notes[index]
        if (note.at, note.by, note.kind) in gone:
            continue
        what = describe_note(note)
        if latest_at_base is not None and note.at < latest_at_base:
            problems.append(Problem(("notes", index, "at"), (
                f"{what} is new since {base_name} but dated before an entry already there "
                f"({latest_at_base.isoformat()}); entries are only appended, at the time they are made"
            )))
        commit = added_by.get(note_key(note))
        if commit is None:
            continue
        if abs(note.at - commit.committed_at) > BACKDATING_LIMIT:
            problems.append(Problem(("notes", index, "at"), (
                f"{what} is backdated: its commit {commit.short} was committed at {_when(commit)}, "
                f"more than {BACKDATING_LIMIT.seconds // 60} minutes away; an entry carries the time it was made"
            )))
        if note.by != commit.author:
            problems.append(Problem(("notes", index, "by"), (
                f"{what} is not by its commit's author: {commit.short} was made by "
                f"{commit.author or 'nobody'}; an entry is by whoever made it"
            )))
    problems += assignee_problems(base, now, fresh, base_name)
    return problems


def assignee_problems(
    base: Ticket | None, now: Ticket, fresh: Sequence[int], base_name: str = "the base"
) -> list[Problem]:
    """An assignee that changed since `base` without a hand-over entry that says so."""
    if base is None or base.assignee == now.assignee:
        return []
    handed: list[Note] = [now.notes[index] for index in fresh if now.notes[index].to]
    if handed and handed[-1].to == now.assignee:
        return []
    return [Problem(("assignee",), (
        f"assignee changed from {base.assignee} at {base_name} to {now.assignee} without a "
        "hand-over entry; hand a ticket on with `pcsdesk assign` or `pcsdesk escalate`"
    ))]
