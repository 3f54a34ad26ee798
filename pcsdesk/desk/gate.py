"""The server-side gate: whether a push to the district's git server may land, and if not, why.

`pcsdesk pre-receive` reads git's updates and asks this module; it answers with
the reasons to refuse, one line each (none: accept). A push to the store's
branch is refused when it is not a fast-forward or deletes the branch, fails
`check --base OLD` on NEW, carries a commit authored by someone other than the
pusher (but for the web helpdesk's service account), or changes the rules
(calendar.yaml, buildings.yaml, .gitattributes) when the pusher is not an admin.
Who counts as admin, staff or service account is read at OLD, the configuration
the server already trusts, so a push cannot promote its own author.
"""

from __future__ import annotations

from pcsdesk.rules.gate import (
    configuration_changes,
    deletion,
    foreign_authors,
    not_a_fast_forward,
    pusher_email,
)
from pcsdesk.store.check import check_commit, config_changes
from pcsdesk.store.gate import Update, count_only_in, directory_at, is_ancestor, store_branch
from pcsdesk.store.provenance import commits_between
from pcsdesk.store.store import Store


def refusals(store: Store, updates: list[Update], pusher_name: str | None, branch: str | None = None) -> list[str]:
    """Every reason to refuse the push; empty when it may land."""
    branch = branch or store_branch(store.git)
    reasons: list[str] = []
    for update in updates:
        if update.ref == branch:
            reasons += _refusals_for_branch(store, update, pusher_name)
    return reasons


def _refusals_for_branch(store: Store, update: Update, pusher_name: str | None) -> list[str]:
    if update.deletes:
        return [deletion(update.ref)]
    git = store.git
    base = None if update.creates else update.old
    trusted = directory_at(store, base or update.new)
    if not pusher_name:
        return [
            "the server did not say who is pushing (REMOTE_USER or GL_USER); install the hook behind "
            "authentication, or as `pcsdesk pre-receive --pusher NAME`"
        ]
    pusher = pusher_email(pusher_name, trusted.email_domain if trusted else "")
    reasons: list[str] = []
    if base is not None and not is_ancestor(git, base, update.new):
        reasons.append(not_a_fast_forward(update.ref, count_only_in(git, base, update.new)))
    name = f"the server's {update.ref.removeprefix('refs/heads/')}"
    result = check_commit(store, update.new, base, name)
    reasons += result.problems
    # Every commit the branch gains, even one already pushed to another branch (which
    # is not gated): on a new branch, those no ref holds yet.
    commits = commits_between(git, base, update.new, exclude_all=base is None)
    reasons += foreign_authors(commits, pusher, trusted.service_account if trusted else None)
    changed = config_changes(git, base, update.new)
    if changed:
        reasons += configuration_changes(changed, pusher, trusted.admins if trusted else ())
    return reasons
