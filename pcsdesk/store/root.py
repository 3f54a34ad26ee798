"""Where the store is: the folder holding calendar.yaml, buildings.yaml and tickets/.

Kept apart from store.py, which loads the rules, so that a read command can find
its store and start git before click and the rest of pcsdesk are imported (cli.py).
"""

from __future__ import annotations

from pathlib import Path

from pcsdesk.errors import StoreNotFound
from pcsdesk.rules.ids import TICKETS_DIR

CALENDAR_FILE = "calendar.yaml"
DIRECTORY_FILE = "buildings.yaml"
STORE_MARKERS = (CALENDAR_FILE, DIRECTORY_FILE, TICKETS_DIR)


def is_store(path: Path) -> bool:
    return (path / CALENDAR_FILE).is_file() and (path / DIRECTORY_FILE).is_file() and (
        path / TICKETS_DIR
    ).is_dir()


def find_store_root(explicit: str | None, cwd: Path) -> Path:
    """--store PATH > $PCSDESK_STORE (resolved by the caller into `explicit`) > walking up."""
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not is_store(root):
            raise StoreNotFound(
                f"{explicit} is not a pcsdesk store (it needs {', '.join(STORE_MARKERS)}); "
                "make one with `pcsdesk init PATH`"
            )
        return root
    for candidate in (cwd, *cwd.parents):
        if is_store(candidate):
            return candidate
    raise StoreNotFound(
        "no pcsdesk store here or above; cd into one, pass --store PATH, set PCSDESK_STORE, "
        "or make one with `pcsdesk init PATH`"
    )
