"""The New Ticket form: its fields as the page names them, read into the core's request."""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from pcsdesk.desk.actions import NewTicket
from pcsdesk.rules.ticket import CHECKS, OTHERS_AFFECTED, OTHERS_AFFECTED_QUESTION

# The procedure's seven pre-checks, worded as checks made (the same words `show` uses):
# a ticked box means "the requester made this check", as a "yes" does in the CLI wizard.
CHECK_LABELS = {key: check.made for key, check in CHECKS.items()}
OTHERS_QUESTION = OTHERS_AFFECTED_QUESTION
# The radio buttons' values (those of `new --others-affected`), labels, and what each stores.
_OTHERS_LABELS = {"yes": "Yes", "no": "No", "unknown": "Don't know"}
OTHERS_CHOICES = tuple((value, _OTHERS_LABELS[value], stored) for value, stored in OTHERS_AFFECTED.items())


@dataclass
class EntryForm:
    """What was typed into New Ticket, kept as typed so a refused entry can be shown again."""

    building: str = ""
    category: str = ""
    summary: str = ""
    details: str = ""
    on_behalf_of: str = ""
    checks: set[str] = field(default_factory=set)
    others: str = "unknown"
    emergency: bool = False

    @classmethod
    def from_post(cls, form: MultiDict[str, str]) -> EntryForm:
        others = form.get("others_affected", "unknown")
        return cls(
            building=form.get("building", ""),
            category=form.get("category", ""),
            summary=form.get("summary", ""),
            details=_plain_lines(form.get("details", "")),
            on_behalf_of=form.get("on_behalf_of", "").strip(),
            checks={key for key in form.getlist("check") if key in CHECK_LABELS},
            others=others if others in {value for value, _, _ in OTHERS_CHOICES} else "unknown",
            emergency=form.get("emergency") == "yes",
        )

    def others_affected(self) -> bool | None:
        return {value: stored for value, _, stored in OTHERS_CHOICES}[self.others]

    def request(self) -> NewTicket:
        return NewTicket(
            building=self.building,
            summary=self.summary,
            description=self.details,
            category=self.category or None,
            requester=self.on_behalf_of or None,
            emergency=self.emergency,
            # Unticked checks are stored false; knowing about others means having asked.
            checklist={key: key in self.checks for key in CHECKS},
            others_affected=self.others_affected(),
        )


def _plain_lines(text: str) -> str:
    """Browsers send CRLF line ends; the store keeps LF from every channel."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_field(form: MultiDict[str, str], name: str) -> str:
    return _plain_lines(form.get(name, ""))
