"""calendar.yaml and buildings.yaml: a mistake is named with its file, line and fix."""

from __future__ import annotations

from pathlib import Path

from support import Invoker, git


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a configuration file and commit it: pcsdesk reads the configuration at HEAD."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    git(path.parent, "commit", "-q", "-am", f"edit {path.name}")


class TestConfigurationErrors:
    def test_a_bad_date_in_a_list_names_its_own_line(self, invoke: Invoker, store: Path) -> None:
        calendar = store / "calendar.yaml"
        replace_in(calendar, "{date: 2026-11-26, reason: Thanksgiving}",
                   "{from: 2026-11-27, to: 2026-11-26, reason: Thanksgiving}")
        line = next(n for n, text in enumerate(calendar.read_text().splitlines(), 1) if "from: 2026-11-27" in text)
        result = invoke(["list"], ok=False)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: calendar.yaml:{line} (closed.")
        assert len(result.stderr.splitlines()) == 1

    def test_an_ets_who_is_not_staff(self, invoke: Invoker, store: Path) -> None:
        buildings = store / "buildings.yaml"
        replace_in(buildings, "TMJH: {name: Treasure Mountain Junior High, ets: ets.tmjh@pcschools.us",
                   "TMJH: {name: Treasure Mountain Junior High, ets: nobody@pcschools.us")
        line = next(n for n, text in enumerate(buildings.read_text().splitlines(), 1) if "nobody@" in text)
        result = invoke(["new", "--building", "TMJH", "--summary", "x"], ok=False)
        assert result.stderr == (
            f"Error: buildings.yaml:{line} (buildings.TMJH.ets): nobody@pcschools.us is not listed "
            "under staff; add them there first\n"
        )
        assert git(store, "rev-list", "--count", "HEAD").strip() == "2"

    def test_yaml_syntax_errors_name_the_line(self, invoke: Invoker, store: Path) -> None:
        (store / "calendar.yaml").write_text("timezone: America/Denver\nworkdays: [mon, tue\n")
        git(store, "commit", "-q", "-am", "broken calendar")
        result = invoke(["list"], ok=False)
        assert result.stderr.startswith("Error: calendar.yaml:3: ")

    def test_an_unknown_time_zone(self, invoke: Invoker, store: Path) -> None:
        replace_in(store / "calendar.yaml", "timezone: America/Denver", "timezone: America/Park_City")
        result = invoke(["list"], ok=False)
        assert result.stderr.startswith("Error: calendar.yaml:")
        assert "America/Park_City" in result.stderr
