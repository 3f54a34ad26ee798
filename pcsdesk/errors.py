"""The one exception hierarchy; the CLI boundary turns each into `Error: ...` and exit 1."""

from __future__ import annotations


class PcsdeskError(Exception):
    """A mistake the user can fix. The message says what to do, in words that fit a terminal and a page.

    The message names no command-line flag or command: `field` names the input at fault
    ("summary", "requester", "note") and `then` the step the message suggests ("note",
    "new", "list", "ids"), so each presentation can point at its own way of doing it (the CLI
    adds its flag or command; a page has the field in front of the reader).
    """

    def __init__(self, *args: object, field: str | None = None, then: str | None = None,
                 ticket_id: str | None = None) -> None:
        super().__init__(*args)
        self.field = field
        self.then = then
        self.ticket_id = ticket_id


class ConfigError(PcsdeskError):
    """calendar.yaml or buildings.yaml is wrong.

    Rules code raises it with `where`, the path of keys inside the file
    (for example ("closed", 3, "date")); the store fills in the file name and
    line number, since only it knows them.
    """

    def __init__(self, problem: str, where: tuple[object, ...] = (), file: str | None = None,
                 line: int | None = None) -> None:
        self.problem = problem
        self.where = where
        self.file = file
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        # `path:line:`, the form `check` and compilers use, which editors jump to.
        place = self.file or "configuration"
        if self.line is not None:
            place += f":{self.line}"
        if self.where:
            place += " (" + ".".join(str(part) for part in self.where) + ")"
        return f"{place}: {self.problem}"


class UnknownBuilding(PcsdeskError):
    def __init__(self, code: str, known: list[str]) -> None:
        super().__init__(f"unknown building {code!r}; known: {', '.join(sorted(known))}")


class UnknownCategory(PcsdeskError):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"unknown category {name!r}; known: {', '.join(sorted(known))}")


class OutOfScope(PcsdeskError):
    """A request the helpdesk does not take (new technology): go to the building ETS."""


class NotAllowed(PcsdeskError):
    """The actor may not do this; the message says who may."""


class SecretInText(PcsdeskError):
    """Text that states a password or passcode. The message never repeats the secret."""


class InvalidInput(PcsdeskError):
    """A value on the command line that cannot be used as given."""


class TicketNotFound(PcsdeskError):
    def __init__(self, ticket_id: str) -> None:
        super().__init__(f"no ticket {ticket_id!r}", then="list")


class InvalidTicketId(PcsdeskError):
    def __init__(self, text: str) -> None:
        super().__init__(f"{text!r} is not a ticket ID; IDs look like 2611-7KQ3X", then="ids")


class StoreNotFound(PcsdeskError):
    pass


class StoreBusy(PcsdeskError):
    """Another process held the store longer than we were willing to wait."""


class StoreConflict(PcsdeskError):
    """A change that cannot be made safely (an uncommitted hand edit, a merge that cannot be resolved)."""


class BrokenTicket(PcsdeskError):
    """A ticket file that cannot be read; the message names the file and the line."""

    def __init__(self, message: str, line: int | None = None, problem: str | None = None) -> None:
        self.line = line
        self.problem = problem or message
        super().__init__(message)
