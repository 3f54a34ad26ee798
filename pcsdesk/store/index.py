"""The read side: every committed ticket as a row, for list, overdue, report and completion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pcsdesk.errors import BrokenTicket
from pcsdesk.rules.ids import TICKETS_DIR, id_from_path
from pcsdesk.rules.ticket import Ticket
from pcsdesk.store.store import Store


@dataclass(frozen=True)
class TicketRow:
    """What the listing commands need of a ticket, without its notes."""

    id: str
    path: str
    status: str
    priority: str
    building: str
    category: str | None
    summary: str
    requester: str
    entered_by: str
    entered_at: datetime
    assignee: str
    first_response_at: datetime | None
    note_count: int

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def is_emergency(self) -> bool:
        return self.priority == "emergency"


def row_from_ticket(ticket: Ticket, path: str) -> TicketRow:
    return TicketRow(
        id=ticket.id, path=path, status=ticket.status, priority=ticket.priority,
        building=ticket.building, category=ticket.category, summary=ticket.summary,
        requester=ticket.requester, entered_by=ticket.entered_by, entered_at=ticket.entered_at,
        assignee=ticket.assignee, first_response_at=ticket.first_response_at,
        note_count=len(ticket.notes),
    )


class TicketIndex:
    def __init__(self, store: Store) -> None:
        self.store = store

    def ticket_paths(self) -> list[str]:
        out = self.store.git.run(
            "ls-tree", "-r", "-z", "--name-only", "--full-tree", self.store.head().commit,
            "--", TICKETS_DIR,
        )
        return [p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p.endswith(b".yaml")]

    def rows(self) -> tuple[list[TicketRow], list[str]]:
        """Every readable ticket, and one problem line per file that cannot be read."""
        rows: list[TicketRow] = []
        problems: list[str] = []
        commit = self.store.head().commit
        for path in self.ticket_paths():
            content = self.store.reader.blob(f"{commit}:{path}")
            if content is None:
                continue
            try:
                ticket = self.store.parse_ticket(content, path)
            except BrokenTicket as e:
                problems.append(str(e))
                continue
            if id_from_path(path) != ticket.id:
                problems.append(f"{path}: the id {ticket.id!r} does not match the file name")
                continue
            rows.append(row_from_ticket(ticket, path))
        return rows, problems

    def ids(self, prefix: str = "") -> list[str]:
        ids = (id_from_path(p) for p in self.ticket_paths())
        return sorted(i for i in ids if i and i.startswith(prefix))


def open_index(store: Store) -> TicketIndex:
    return TicketIndex(store)
