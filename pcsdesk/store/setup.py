"""Making a store: git init where needed, the default configuration, the merge driver."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from importlib import resources
from pathlib import Path

from pcsdesk.errors import InvalidInput, StoreConflict
from pcsdesk.rules.calendar import Calendar, calendar_from_dict
from pcsdesk.rules.ids import TICKETS_DIR
from pcsdesk.store.git import Git
from pcsdesk.store.merge import register_merge_driver
from pcsdesk.store.store import CALENDAR_FILE, DIRECTORY_FILE, Author, Store, is_store
from pcsdesk.store.yamlio import load_yaml

DEFAULT_FILES = (CALENDAR_FILE, DIRECTORY_FILE)


def default_file(name: str) -> bytes:
    return resources.files("pcsdesk.defaults").joinpath(name).read_bytes()


def default_calendar() -> Calendar:
    return calendar_from_dict(load_yaml(default_file(CALENDAR_FILE), CALENDAR_FILE))


def init_store(path: Path, actor_email: str | Callable[[Git], str], when: datetime) -> Path:
    """Make `path` a store and commit its configuration; refuse if it already is one.

    `actor_email`: who makes it, or how to find out once the repository exists (the
    command's session, which may ask that repository's git config).
    """
    root = path.expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise InvalidInput(f"{path} is a file; give a folder for the new store")
    if is_store(root):
        raise StoreConflict(f"{root} is already a pcsdesk store")
    root.mkdir(parents=True, exist_ok=True)
    git = Git(root)
    inside = git.run("rev-parse", "--is-inside-work-tree", check=False).decode().strip() == "true"
    if inside:
        top = Path(git.text("rev-parse", "--show-toplevel")).resolve()
        if top != root:
            raise InvalidInput(
                f"{root} is inside the git repository {top}; a store must be a repository's "
                f"top folder: run `pcsdesk init {top}` or choose another folder"
            )
    else:
        git.run("init", "-q", "-b", "main", str(root))
    email = actor_email if isinstance(actor_email, str) else actor_email(git)
    files = {name: default_file(name) for name in DEFAULT_FILES if not (root / name).exists()}
    # git keeps no empty folders; the marker keeps tickets/ in every clone.
    files[f"{TICKETS_DIR}/.gitkeep"] = b""
    store = Store(root)
    try:
        # The merge driver's settings (registered again by `sync`: git config is not cloned).
        files.update(register_merge_driver(store))
        store.commit_files(
            files,
            "Initialize the pcsdesk store\n\nThe district's default calendar.yaml and "
            "buildings.yaml, tickets/, and the ticket merge driver.\n",
            Author(name=email.split("@")[0], email=email.lower()),
            when,
        )
    finally:
        store.close()
    return root
