"""Who may push what to the district's git server: the rules behind `pcsdesk pre-receive`.

Pure: the gate (desk/gate.py) gathers the commits, the changed files and the
configuration the branch held before the push; these functions say what is
refused and why, one reason per line, in words the pusher can act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pcsdesk.errors import InvalidInput
from pcsdesk.rules.trust import Commit

CONFIGURATION_FILES = ("calendar.yaml", "buildings.yaml", ".gitattributes")


def pusher_email(name: str, email_domain: str) -> str:
    """The pusher as an email address: a bare user name (Apache's REMOTE_USER, gitolite's GL_USER) gets the domain."""
    who = name.strip().lower()
    if not who or any(c.isspace() or ord(c) < 0x20 for c in who) or who.count("@") > 1:
        raise InvalidInput(f"{name!r} does not name one person; the server must say who is pushing")
    if "@" in who:
        return who
    if not email_domain:
        raise InvalidInput(
            f"the pusher {who!r} is a bare user name and buildings.yaml sets no district.email_domain "
            "to complete it; set it, or have the server pass full email addresses"
        )
    return f"{who}@{email_domain}"


def not_a_fast_forward(ref: str, dropped: int) -> str:
    return (
        f"{ref}: not a fast-forward: the push would drop {dropped} commit(s) the server holds (the record "
        "is append-only); fetch and merge first (pcsdesk sync), never force-push"
    )


def deletion(ref: str) -> str:
    return f"{ref}: deleting the store's branch is refused; its history is the audit trail"


def foreign_authors(commits: Iterable[Commit], pusher: str, service_account: str | None) -> list[str]:
    """A commit authored by someone other than the pusher; the web helpdesk's account pushes for everyone."""
    if service_account and pusher == service_account.lower():
        return []
    return [
        f"commit {commit.short} is authored by {commit.author or 'nobody'} but pushed by {pusher}; "
        "push only your own commits (each technician syncs from their own clone)"
        for commit in commits
        if commit.author.lower() != pusher
    ]


def configuration_changes(changed: Sequence[str], pusher: str, admins: Sequence[str]) -> list[str]:
    """A change to the rules (calendar, directory, merge driver) by someone not listed under district.admins."""
    if pusher in {admin.lower() for admin in admins}:
        return []
    listed = ", ".join(admins) if admins else "nobody is listed"
    return [
        f"{name}: only the district's admins may change it (district.admins in buildings.yaml: {listed}); "
        f"{pusher} is not one: ask an admin to make the change"
        for name in changed
    ]
