"""Ticket IDs: readable over the phone, unique across offline clones, and mapped to a path.

An ID is `YYMM-XXXXX`: the year and month the ticket was entered (district time),
a dash, and five random characters from Crockford's base 32 alphabet, which leaves
out I, L, O and U so nothing is misheard or misread ("seven K Q three X").

Uniqueness: 32**5 = 33.5 million IDs per month. A clone refuses an ID it already
has, so collisions need two clones to pick the same five characters in the same
month while apart: with 100 tickets on each side that is about 3 in 10,000, and a
collision is caught by the merge driver (same path, different ticket) rather than
silently merged.

Path: `tickets/YYMM/X/YYMM-XXXXX.yaml`, X being the first random character, so a
folder holds a month's tickets spread over 32 sub-folders: about 90 each at
100,000 tickets over three school years, far below the ~1,000 entries at which
web git hosts stop listing a folder.
"""

from __future__ import annotations

import os
import re
from datetime import date

from pcsdesk.errors import InvalidTicketId

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 5
# re.ASCII: without it \d also matches other scripts' digits ("٢٦11-7KQ3X").
ID_PATTERN = re.compile(r"\A(\d{2})(0[1-9]|1[0-2])-([0-9A-HJKMNP-TV-Z]{5})\Z", re.ASCII)
TICKETS_DIR = "tickets"

# Crockford's decoding: letters people confuse with digits read as the digit.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_ticket_id(entered_on: date, token: str | None = None) -> str:
    """Make an ID for a ticket entered on `entered_on`; `token` fixes the random part (tests)."""
    if token is None:
        # Five characters of 32 are 25 random bits from the OS, so each character is
        # uniform; `secrets` would cost every command ~7 ms of imports (hashlib, hmac).
        bits = int.from_bytes(os.urandom(4), "big")
        token = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(RANDOM_LENGTH))
    return normalize_ticket_id(f"{entered_on:%y%m}-{token}")


def normalize_ticket_id(text: str) -> str:
    """The canonical form of an ID a person typed, or InvalidTicketId.

    Case does not matter and O, I, L are read as 0, 1, 1, as Crockford's base 32
    intends; anything else (a path, an option, spaces) is refused before it can
    reach the file system or git.
    """
    candidate = text.strip().upper().translate(_READ_AS)
    if not ID_PATTERN.match(candidate):
        raise InvalidTicketId(text)
    return candidate


def ticket_path(ticket_id: str) -> str:
    """The ticket file's path in the store, from the (canonical) ID alone."""
    match = ID_PATTERN.match(ticket_id)
    if not match:
        raise InvalidTicketId(ticket_id)
    yymm = match.group(1) + match.group(2)
    return f"{TICKETS_DIR}/{yymm}/{match.group(3)[0]}/{ticket_id}.yaml"


def id_from_path(path: str) -> str | None:
    """The ID a ticket path names, or None when the path is not where that ID belongs."""
    name = path.rsplit("/", 1)[-1]
    if not name.endswith(".yaml"):
        return None
    candidate = name[: -len(".yaml")]
    if not ID_PATTERN.match(candidate) or ticket_path(candidate) != path:
        return None
    return candidate
