"""A ticket's audit trail: every commit that touched its file, read from git history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pcsdesk.errors import InvalidInput, TicketNotFound
from pcsdesk.rules.ids import TICKETS_DIR, id_from_path, ticket_path
from pcsdesk.store.git import ACTION_TRAILER, TICKET_TRAILER
from pcsdesk.store.store import Store

# One field per placeholder, NUL-separated (no field can hold a NUL); -z ends each
# commit with a NUL too, so the output splits into FIELDS-long runs.
_FORMAT = "%x00".join((
    "%H", "%h", "%aI", "%an", "%ae", "%P", "%s",
    f"%(trailers:key={TICKET_TRAILER},valueonly,separator=%x2C)",
    f"%(trailers:key={ACTION_TRAILER},valueonly,separator=%x2C)",
))
_FIELDS = 9


@dataclass(frozen=True)
class Change:
    """One commit that touched a ticket's file."""

    commit: str
    short: str
    at: datetime
    author_name: str
    author_email: str
    parents: tuple[str, ...]
    subject: str
    # The Pcsdesk-Action trailer, when the commit says pcsdesk made it for this
    # ticket; None for a hand edit, a merge, or anything else made outside pcsdesk.
    action: str | None

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @property
    def author(self) -> str:
        return f"{self.author_name} <{self.author_email}>"


def ticket_history(store: Store, ticket_id: str) -> list[Change]:
    """The commits that touched `ticket_id`'s file on the current branch, oldest first.

    `--full-history` keeps every commit that changed the file on any side of a
    merge, and every merge that changed it relative to one of its parents: git's
    default simplification would hide a side whose note a merge then dropped,
    which is exactly what an audit must show. No `--follow`: a ticket's path
    follows from its ID, so a file elsewhere is not this ticket, and `--follow`
    gives up `--full-history`'s walk of merges. The path comes from a validated
    ID and follows `--`, so nothing a user typed can reach git as an option.
    """
    path = ticket_path(ticket_id)
    store.head()  # a store without commits says so, rather than an empty trail
    raw = store.git.run(
        "log", "--full-history", "--date-order", "--reverse", "-z", f"--format={_FORMAT}",
        "HEAD", "--", path,
    )
    fields = raw.decode("utf-8", "replace").split("\0")
    changes: list[Change] = []
    for start in range(0, len(fields) - _FIELDS + 1, _FIELDS):
        commit, short, at, name, email, parents, subject, ticket, action = fields[start:start + _FIELDS]
        # Only a commit that names this ticket is trusted to be pcsdesk's own action
        # on it; a sync merge names no ticket and still says what it was.
        trusted = action and ticket in ("", ticket_id)
        changes.append(Change(
            commit=commit.strip("\n"),
            short=short,
            at=datetime.fromisoformat(at),
            author_name=name,
            author_email=email,
            parents=tuple(parents.split()),
            subject=subject,
            action=action if trusted else None,
        ))
    if not changes:
        raise TicketNotFound(ticket_id)
    return changes


def changed_ticket_ids(store: Store, old: str, new: str = "HEAD") -> list[str]:
    """The IDs of ticket files added, changed or removed between commits `old` and `new`.

    Both names are resolved to commits first (`rev-parse --verify`, `^{commit}`), so
    nothing a caller passes can reach `diff-tree` as an option.
    """
    commits = []
    for name in (old, new):
        found = "" if name.startswith("-") or "\n" in name else store.git.run(
            "rev-parse", "--verify", "-q", "--end-of-options", f"{name}^{{commit}}", check=False,
        ).decode().strip()
        if not found:
            raise InvalidInput(f"{name!r} is not a commit in this store; name a branch, tag or commit")
        commits.append(found)
    raw = store.git.run("diff-tree", "-r", "-z", "--name-only", "--no-renames", commits[0], commits[1],
                        "--", TICKETS_DIR)
    ids = {id_from_path(path) for path in raw.decode("utf-8", "surrogateescape").split("\0") if path}
    return sorted(i for i in ids if i is not None)
