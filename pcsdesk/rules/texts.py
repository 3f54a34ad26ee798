"""What a text may be before it goes into a ticket: real UTF-8, and within the sizes docs/reviewing.md lists.

Every channel (an option, standard input, the editor, a web form) ends here
before anything is locked or written. Text that is not valid UTF-8 arrives in
Python as lone surrogates (the command line's surrogateescape); written to YAML
it becomes "\\uDCE9", which no loader reads again, and the ticket is bricked for
every clone that syncs it. The sizes keep one ticket from slowing every writer:
a 20 MB note made each later write to that ticket take 25 s under the lock.
"""

from __future__ import annotations

from pcsdesk.errors import InvalidInput

SUMMARY_MAX_CHARS = 200
TEXT_MAX_BYTES = 64 * 1024
TICKET_MAX_BYTES = 1024 * 1024
# A file this large is not parsed at all (a hand-made or merged file beyond the write
# limit is still read up to here, so it can be looked at and closed).
READ_MAX_BYTES = 2 * TICKET_MAX_BYTES


def normalize_line_ends(text: str) -> str:
    """Windows and old Mac line ends as plain newlines, from whichever channel the text came."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def first_bad_byte(text: str) -> int | None:
    """The 0-based position of the first character that is not UTF-8 text (a lone surrogate), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return e.start
    return None


def ensure_utf8(text: str, what: str) -> str:
    position = first_bad_byte(text)
    if position is not None:
        char = text[position]
        shown = f" (byte 0x{ord(char) - 0xDC00:02x})" if 0xDC80 <= ord(char) <= 0xDCFF else ""
        raise InvalidInput(
            f"the {what} is not valid UTF-8 text{shown} at character {position + 1}; "
            "set the terminal or file to UTF-8 (e.g. LANG=en_US.UTF-8) and enter it again"
        )
    return text


def ensure_summary(summary: str) -> str:
    ensure_utf8(summary, "summary")
    if len(summary) > SUMMARY_MAX_CHARS:
        raise InvalidInput(
            f"the summary has {len(summary)} characters, more than {SUMMARY_MAX_CHARS}; say in a few "
            "words what is wrong and put the details in the description"
        )
    return summary


def ensure_text(text: str, what: str) -> str:
    ensure_utf8(text, what)
    size = len(text.encode("utf-8"))
    if size > TEXT_MAX_BYTES:
        raise InvalidInput(
            f"the {what} is {size // 1024} KiB, more than {TEXT_MAX_BYTES // 1024} KiB; shorten it "
            "(attach logs and screenshots elsewhere and say where they are)"
        )
    return text


def ensure_ticket_size(size: int, ticket_id: str) -> None:
    if size > TICKET_MAX_BYTES:
        raise InvalidInput(
            f"ticket {ticket_id} would be {size // 1024} KiB, more than {TICKET_MAX_BYTES // 1024} KiB; "
            "nothing was written: open a new ticket that refers to this one", then="new", ticket_id=ticket_id,
        )
