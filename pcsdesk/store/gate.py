"""The server-side gate's plumbing: the pushed updates, the branch, and what a push carries.

Runs in a bare repository as git's pre-receive hook: no work tree, and the pushed
objects still in git's quarantine (GIT_QUARANTINE_PATH, GIT_OBJECT_DIRECTORY and
GIT_ALTERNATE_OBJECT_DIRECTORIES are set by git and passed on to every git process
started here, which is how they see the new commits at all).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from pcsdesk.errors import BrokenTicket, ConfigError, InvalidInput
from pcsdesk.rules.directory import Directory, directory_from_dict
from pcsdesk.store.git import Git
from pcsdesk.store.store import DIRECTORY_FILE, Store
from pcsdesk.store.yamlio import load_yaml


class Update(NamedTuple):
    """One line of git's pre-receive input: a ref moving from `old` to `new`."""

    old: str
    new: str
    ref: str

    @property
    def creates(self) -> bool:
        return is_zero(self.old)

    @property
    def deletes(self) -> bool:
        return is_zero(self.new)


def is_zero(oid: str) -> bool:
    return not oid.strip("0")


def parse_updates(text: str) -> list[Update]:
    """git's `OLD NEW REF` lines; anything else is a mistake in how the hook was installed."""
    updates = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 3 or not all(c in "0123456789abcdef" for c in parts[0] + parts[1]):
            raise InvalidInput(
                f"line {number} of standard input is not `OLD NEW REF`; pcsdesk pre-receive is run by "
                "git as a repository's hooks/pre-receive"
            )
        updates.append(Update(*parts))
    return updates


def open_repository() -> Store:
    """The repository the hook runs in ($GIT_DIR, else the current folder), bare or not."""
    root = Path(os.environ.get("GIT_DIR") or ".").resolve()
    store = Store(root)
    if not store.git.ok("rev-parse", "--git-dir"):
        raise InvalidInput(f"{root} is not a git repository; run pcsdesk pre-receive as its hooks/pre-receive")
    return store


def store_branch(git: Git) -> str:
    """The branch the store lives on: the one the server's HEAD names."""
    return git.run("symbolic-ref", "-q", "HEAD", check=False).decode().strip() or "refs/heads/main"


def is_ancestor(git: Git, older: str, newer: str) -> bool:
    return git.ok("merge-base", "--is-ancestor", older, newer)


def count_only_in(git: Git, commit: str, other: str) -> int:
    """How many commits `commit` holds that `other` does not."""
    return int(git.text("rev-list", "--count", commit, f"^{other}", "--"))


def directory_at(store: Store, commit: str) -> Directory | None:
    """buildings.yaml as `commit` holds it; None when it is missing or cannot be read."""
    content = store.reader.blob(f"{commit}:{DIRECTORY_FILE}")
    if content is None:
        return None
    try:
        return directory_from_dict(load_yaml(content, DIRECTORY_FILE))
    except (BrokenTicket, ConfigError):
        return None
