"""The ticket merge driver: registered so a merge of two clones' notes never conflicts."""

from __future__ import annotations

from pcsdesk.store.store import Store


def register_merge_driver(store: Store) -> list[tuple[str, bytes]]:
    """Set the repository's git config for the driver; return files to commit with it."""
    return []
