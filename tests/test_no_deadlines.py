"""No test depends on the wall clock's speed: hypothesis runs without deadlines everywhere."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import settings

TESTS = Path(__file__).parent


def test_the_default_profile_has_no_deadline() -> None:
    assert settings.default.deadline is None


def test_no_test_sets_a_deadline_of_its_own() -> None:
    offenders = [
        f"{path.relative_to(TESTS)}:{number}"
        for path in sorted(TESTS.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bdeadline=(?!None\b)", line)   # a keyword argument, not a variable
    ]
    assert offenders == []
