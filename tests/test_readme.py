"""The README's map of the code names only folders and modules that exist, where it says they are."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def development_block() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Development\n\n```\n") + len("## Development\n\n```\n")
    return readme[start:readme.index("```", start)].splitlines()


def named_places() -> list[tuple[Path, str]]:
    """(folder the line speaks of, name) for every folder/ and module.py the block names."""
    places: list[tuple[Path, str]] = []
    folders: dict[int, Path] = {}    # indent -> the folder an entry at that indent lives in
    current = ROOT
    for line in development_block():
        indent = len(line) - len(line.lstrip())
        first = line.strip().split(" ")[0] if line.strip() else ""
        entry = indent < 20 and bool(first)      # descriptions start at column 20
        if entry:
            parent = ROOT if indent == 0 else folders[indent - 2]
            places.append((parent, first))
            current = parent / first.rstrip("/")
            if first.endswith("/"):
                folders[indent] = current
            names = line[indent + len(first):]
        else:
            names = line
        folder = current if current.is_dir() else current.parent
        places += [(folder, name) for name in re.findall(r"\b\w+\.py\b", names)]
    return places


def test_every_name_exists_where_the_readme_puts_it() -> None:
    places = named_places()
    assert len(places) > 20, "the block was not found or not parsed"
    missing = [str((folder / name).relative_to(ROOT)) for folder, name in places
               if not (folder / name.rstrip("/")).exists()]
    assert missing == []


def test_the_parse_would_catch_a_module_that_is_gone() -> None:
    places = named_places()
    assert (ROOT / "pcsdesk" / "store", "git.py") in places
    assert (ROOT / "pcsdesk" / "desk", "queries.py") in places
    assert not (ROOT / "pcsdesk" / "store" / "desk.py").exists()   # the old block named desk.py


def test_the_quick_start_says_how_long_the_suite_takes() -> None:
    # A new user running the second quick-start command should know whether to wait.
    readme = (ROOT / "README.md").read_text()
    quick_start = readme[readme.index("## Quick start"):readme.index("## A session")]
    assert re.search(r"The suite \(about [\d,]+ tests.*?\) took \d+ min \d+ s with `-n 2`",
                     quick_start, re.DOTALL), "say how long `pytest -n 2` takes, as measured"
