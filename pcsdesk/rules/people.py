"""Who a person is in the record: one email address; and finding the staff member meant by a name."""

from __future__ import annotations

import re

from pcsdesk.errors import InvalidInput
from pcsdesk.rules.directory import Directory

# One address as people type it: a local part and a dotted domain, nothing around it.
# Deliberately narrower than RFC 5322 (no quotes, comments, display names or angle
# brackets): the identity is a commit's author and every entry's `by`, character for
# character, so `Bob <ets@...>` must not slip through as "an address containing an @".
_EMAIL = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    r"@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+\Z")
MAX_EMAIL_LENGTH = 254


def is_identity(text: str) -> bool:
    """True when `text` is exactly one email address (any case), with nothing around it."""
    return len(text) <= MAX_EMAIL_LENGTH and _EMAIL.match(text.lower()) is not None


def identity(text: str, what: str, example: str = "jsmith@pcschools.us", field: str | None = None) -> str:
    """`text` as an identity: one email address, lower-cased; else InvalidInput saying what to pass.

    Surrounding whitespace is forgiven (a pasted address); anything else is refused,
    since the identity becomes a commit's author and an entry's `by`.
    """
    address = text.strip()
    if not address:
        raise InvalidInput(f"{what} is empty; give one email address such as {example}", field=field)
    if not is_identity(address):
        shown = address if len(address) <= 80 else address[:79] + "…"
        raise InvalidInput(f"{what} must be one email address such as {example}, not {shown!r}", field=field)
    return address.lower()


def closest_staff(directory: Directory, text: str) -> str | None:
    """The staff address someone most likely meant by `text` (a bare name, a typo), or None."""
    wanted = text.strip().lower()
    if not wanted:
        return None
    emails = sorted(directory.staff)
    local = wanted.split("@", 1)[0]
    # A bare user name that is exactly one staff member's: `netops` for netops@...
    by_local = [email for email in emails if email.split("@", 1)[0] == local]
    if len(by_local) == 1:
        return by_local[0]
    import difflib  # here: at the top it cost every command 1-2 ms of start-up, for an error path

    close = difflib.get_close_matches(wanted, emails, n=1, cutoff=0.75)
    if close:
        return close[0]
    close = difflib.get_close_matches(local, [e.split("@", 1)[0] for e in emails], n=1, cutoff=0.75)
    if close:
        return next(email for email in emails if email.split("@", 1)[0] == close[0])
    return None


def staff_member(directory: Directory, text: str, what: str) -> str:
    """The staff address `text` names, lower-cased; else InvalidInput suggesting the close match."""
    wanted = text.strip().lower()
    if wanted in directory.staff:
        return wanted
    guess = closest_staff(directory, wanted)
    hint = f"did you mean {guess}?" if guess else "the staff are listed under `staff` in buildings.yaml"
    if not is_identity(wanted):
        raise InvalidInput(f"{what} must be a staff member's email address, not {text.strip()!r}; {hint}")
    raise InvalidInput(f"{what} {wanted} is not technology staff in buildings.yaml; {hint}")
