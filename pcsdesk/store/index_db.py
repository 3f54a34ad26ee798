"""The index's sqlite file: its schema, opening it (WAL, the schema made or remade), throwing it away.

The file is derived data under `<git dir>/pcsdesk/`, never committed: a file of
another schema version is remade, a damaged one deleted and rebuilt from git.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

# Bump when the tables or what is parsed into them change: an index of another
# version is rebuilt, never read.
SCHEMA_VERSION = 5

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE folders (path TEXT PRIMARY KEY, parent TEXT NOT NULL, oid TEXT NOT NULL);
CREATE INDEX folders_by_parent ON folders (parent);
CREATE TABLE tickets (
    path TEXT PRIMARY KEY,
    parent TEXT NOT NULL,
    blob TEXT NOT NULL,
    path_id TEXT,             -- the ID the path names, NULL when the path is not an ID's place
    problem TEXT,             -- why the file cannot be read, NULL for a readable ticket
    id TEXT, status TEXT, priority TEXT, building TEXT, category TEXT, summary TEXT,
    requester TEXT, entered_by TEXT,
    entered_at INTEGER,       -- epoch seconds (times are stored to the second)
    assignee TEXT,
    assignee_key TEXT,        -- the assignee lower-cased by Python, which folds all of Unicode
    first_response_at INTEGER,
    note_count INTEGER,
    requester_key TEXT,       -- requester and entered_by lower-cased, as assignee_key
    entered_by_key TEXT,
    updated_at INTEGER,       -- epoch seconds: the last log entry's time, else entered_at
    -- Figures the query core derived from the row, under the key it names (store_figures).
    derived_for INTEGER,
    due INTEGER,              -- epoch seconds
    response_seconds INTEGER
);
CREATE INDEX tickets_by_parent ON tickets (parent);
CREATE INDEX tickets_by_status ON tickets (status, building);
CREATE INDEX tickets_by_entry ON tickets (entered_at);
CREATE INDEX tickets_by_assignee ON tickets (assignee_key);
-- "My tickets": what a person asked for or typed in, fast at 100,000 tickets.
CREATE INDEX tickets_by_requester ON tickets (requester_key);
CREATE INDEX tickets_by_entered_by ON tickets (entered_by_key);
CREATE INDEX tickets_by_id ON tickets (path_id);
-- Problems are read on every listing: a partial index finds them without a scan.
CREATE INDEX tickets_with_problems ON tickets (path) WHERE problem IS NOT NULL;
"""


def connect(path: Path, timeout: float) -> sqlite3.Connection:
    """The index file, made or remade with the current schema when it has another."""
    import sqlite3

    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        # A derived cache: losing the last update on a power cut is harmless (it is
        # redone from git), so skip the fsync that full durability would cost.
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA journal_size_limit=8388608")
        version = schema_version(db)
        if version != str(SCHEMA_VERSION):
            db.execute("BEGIN IMMEDIATE")
            try:
                # Looked at again under the lock: another process may have just made it.
                if schema_version(db) != str(SCHEMA_VERSION):
                    tables = [name for (name,) in db.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite_%'")]
                    for name in tables:
                        db.execute(f'DROP TABLE IF EXISTS "{name}"')
                    for statement in SCHEMA.split(";"):
                        if statement.strip():
                            db.execute(statement)
                    db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
    except BaseException:
        db.close()
        raise
    return db


def schema_version(db: sqlite3.Connection) -> str | None:
    import sqlite3

    try:
        found = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.OperationalError as e:
        if "no such table" in str(e):
            return None
        raise
    return found[0] if found else None


def discard(path: Path) -> None:
    """Delete the index file and its WAL companions (it is rebuilt from git)."""
    for suffix in ("", "-wal", "-shm"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass
