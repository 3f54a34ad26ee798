"""Walking HEAD's tickets tree against what the index holds, by git's folder and blob ids.

A folder whose tree id is unchanged is skipped whole; only blobs with a new id are
collected to be parsed again. So a commit that changed one ticket costs a walk of
the few folders on its path, whatever the store's size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    from pcsdesk.store.git import ObjectReader


def walk_changes(
    db: sqlite3.Connection, reader: ObjectReader, path: str, parent: str, oid: str,
    files: list[tuple[str, str, str]],
) -> None:
    """Compare the folder `path` (tree `oid`) with its stored state; collect files to parse."""
    stored = db.execute("SELECT oid FROM folders WHERE path = ?", (path,)).fetchone()
    if stored is not None and stored[0] == oid:
        return
    entries = reader.tree(oid) or []
    old_folders = dict(db.execute("SELECT path, oid FROM folders WHERE parent = ?", (path,)))
    old_files = dict(db.execute("SELECT path, blob FROM tickets WHERE parent = ?", (path,)))
    for entry in entries:
        name = entry.name.decode("utf-8", "surrogateescape")
        child = f"{path}/{name}"
        if entry.is_tree:
            if old_folders.pop(child, None) != entry.oid:
                walk_changes(db, reader, child, path, entry.oid, files)
        elif name.endswith(".yaml") and entry.mode != "160000":
            if old_files.pop(child, None) != entry.oid:
                files.append((child, path, entry.oid))
    for gone in old_folders:
        delete_folder(db, gone)
    db.executemany("DELETE FROM tickets WHERE path = ?", [(p,) for p in old_files])
    db.execute("INSERT OR REPLACE INTO folders VALUES (?, ?, ?)", (path, parent, oid))

def walk_all(reader: ObjectReader, path: str, oid: str, folders: dict[str, str],
              files: list[tuple[str, str, str]]) -> None:
    """Every folder and ticket file under `path`, for verify()."""
    folders[path] = oid
    for entry in reader.tree(oid) or []:
        name = entry.name.decode("utf-8", "surrogateescape")
        child = f"{path}/{name}"
        if entry.is_tree:
            walk_all(reader, child, entry.oid, folders, files)
        elif name.endswith(".yaml") and entry.mode != "160000":
            files.append((child, path, entry.oid))


def delete_folder(db: sqlite3.Connection, path: str) -> None:
    """Forget a folder that is gone and everything under it."""
    # A range on the primary key ('/' + 1 is '0'), not LIKE: names may hold % or _.
    low, high = f"{path}/", f"{path}0"
    db.execute("DELETE FROM folders WHERE path = ? OR (path >= ? AND path < ?)", (path, low, high))
    db.execute("DELETE FROM tickets WHERE path >= ? AND path < ?", (low, high))
