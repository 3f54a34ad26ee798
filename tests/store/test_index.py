"""The derived sqlite index: always the rows of HEAD's tickets, however HEAD got there."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from support import ETS, NETOPS, TEACHER, Invoker, git, run_cli

from pcsdesk.rules.ids import ticket_path
from pcsdesk.store import index as index_module
from pcsdesk.store import rows as rows_module
from pcsdesk.store.index import open_index
from pcsdesk.store.quickyaml import Declined, quick_load
from pcsdesk.store.store import Store
from pcsdesk.store.yamlio import dump_yaml, load_yaml

NOW = "2026-12-01T10:00:00"


def listing(store: Path) -> list[dict[str, Any]]:
    """`list --status all --json` in this process: what a technician sees."""
    result = Invoker(store)(["list", "--status", "all", "--json"], now=NOW)
    return sorted(json.loads(result.stdout), key=lambda row: row["id"])


def index_file(store: Path) -> Path:
    return store / ".git" / "pcsdesk" / "index.sqlite"


def from_scratch(store: Path) -> list[dict[str, Any]]:
    """The listing with no index at all: the tickets themselves, the oracle."""
    for path in index_file(store).parent.glob("index.sqlite*"):
        path.unlink()
    return listing(store)


def commit_all(store: Path, message: str) -> None:
    git(store, "add", "-A")
    git(store, "commit", "-qm", message)


class TestFollowsHead:
    def test_a_plain_git_pull_of_tickets_made_in_a_second_clone(self, invoke: Invoker, store: Path,
                                                                 tmp_path: Path) -> None:
        first = invoke.new()
        assert [row["id"] for row in listing(store)] == [first]
        clone = tmp_path / "clone"
        git(tmp_path, "clone", "-q", str(store), str(clone))
        other = Invoker(clone)
        made = {other.new(), other.new("--category", "network"), first}
        other(["note", first, "-m", "Seen from the other clone"])
        git(store, "pull", "-q", "--no-rebase", str(clone), "main")
        rows = listing(store)
        assert {row["id"] for row in rows} == made
        assert rows == from_scratch(store)

    def test_a_hand_edit_committed_with_git(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        listing(store)
        path = store / ticket_path(ticket_id)
        path.write_text(path.read_text().replace("Projector shows no signal", "Beamer is dark"))
        commit_all(store, "A reviewer's correction")
        [row] = listing(store)
        assert row["summary"] == "Beamer is dark"
        assert [row] == from_scratch(store)

    def test_a_broken_file_is_reported_every_time_until_fixed(self, invoke: Invoker, store: Path) -> None:
        good, bad = invoke.new(), invoke.new()
        path = store / ticket_path(bad)
        original = path.read_text()
        path.write_text(original.replace("status: open", "status: [open"))
        commit_all(store, "A bad merge")
        for _ in range(2):
            result = invoke(["list", "--status", "all", "--json"], ok=False, now=NOW)
            assert [row["id"] for row in json.loads(result.stdout)] == [good]
            assert f"{ticket_path(bad)}:" in result.stderr
        path.write_text(original)
        commit_all(store, "Fixed")
        assert {row["id"] for row in listing(store)} == {good, bad}

    def test_a_branch_switch_and_back(self, invoke: Invoker, store: Path) -> None:
        on_main = invoke.new()
        git(store, "checkout", "-q", "-b", "elsewhere")
        on_branch = invoke.new()
        assert {row["id"] for row in listing(store)} == {on_main, on_branch}
        git(store, "checkout", "-q", "main")
        assert [row["id"] for row in listing(store)] == [on_main]
        git(store, "checkout", "-q", "elsewhere")
        assert {row["id"] for row in listing(store)} == {on_main, on_branch}

    def test_a_ticket_removed_and_a_folder_emptied(self, invoke: Invoker, store: Path) -> None:
        keep, drop = invoke.new(), invoke.new(now="2027-01-05T09:00:00")
        listing(store)
        git(store, "rm", "-q", ticket_path(drop))
        git(store, "commit", "-qm", "Remove a test ticket")
        assert [row["id"] for row in listing(store)] == [keep]
        db = sqlite3.connect(index_file(store))
        folders = [path for (path,) in db.execute("SELECT path FROM folders")]
        assert not any(path.startswith(f"tickets/{drop[:4]}") for path in folders)

    def test_a_change_of_time_zone_rebuilds(self, invoke: Invoker, store: Path) -> None:
        invoke.new()
        listing(store)
        calendar = store / "calendar.yaml"
        calendar.write_text(calendar.read_text().replace("America/Denver", "America/Chicago", 1))
        commit_all(store, "The district moved")
        [row] = listing(store)
        assert row["entered_at"].endswith("-06:00")
        assert [row] == from_scratch(store)


class TestCachedBusinessTime:
    """Due and response times are cached per calendar, and follow the calendar as it stands."""

    def test_a_snow_day_moves_the_due_time_cached_before(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new(now="2026-12-01T10:00:00")
        [before] = listing(store)
        assert before["first_response_due"] == "2026-12-03T10:00:00-07:00"
        db = sqlite3.connect(index_file(store))
        assert db.execute("SELECT due IS NOT NULL, derived_for FROM tickets").fetchone()[0] == 1
        db.close()
        calendar = store / "calendar.yaml"
        calendar.write_text(calendar.read_text().replace(
            "  - {date: 2026-11-26, reason: Thanksgiving}",
            "  - {date: 2026-12-02, reason: Snow day}\n  - {date: 2026-11-26, reason: Thanksgiving}"))
        git(store, "commit", "-q", "-am", "Snow day")
        [after] = listing(store)   # the calendar as committed now
        assert after["id"] == ticket_id
        assert after["first_response_due"] == "2026-12-04T10:00:00-07:00"
        assert [after] == from_scratch(store)

    def test_a_report_uses_the_cached_figures_and_agrees(self, invoke: Invoker, store: Path) -> None:
        answered = invoke.new("--requester", TEACHER, now="2026-11-30T10:00:00")
        invoke(["note", answered, "-m", "On it"], now="2026-12-01T09:00:00")
        invoke.new("--requester", TEACHER, now="2026-11-30T11:00:00")
        args = ["report", "--from", "2026-11-30", "--to", "2026-12-01", "--json"]
        first = Invoker(store)(args, now=NOW).stdout
        assert Invoker(store)(args, now=NOW).stdout == first   # from the cache now
        from_scratch(store)
        assert Invoker(store)(args, now=NOW).stdout == first
        total = json.loads(first)["total"]
        assert (total["entered"], total["on_time"], total["waiting"]) == (2, 1, 1)


class TestRebuilt:
    def test_when_deleted(self, invoke: Invoker, store: Path) -> None:
        invoke.new()
        before = listing(store)
        index_file(store).unlink()
        assert listing(store) == before
        assert index_file(store).exists()

    @pytest.mark.parametrize("damage", [b"not a database at all" * 100, b""])
    def test_when_corrupt(self, invoke: Invoker, store: Path, damage: bytes) -> None:
        invoke.new()
        before = listing(store)
        for extra in index_file(store).parent.glob("index.sqlite-*"):
            extra.unlink()
        index_file(store).write_bytes(damage)
        assert listing(store) == before

    def test_when_from_another_schema_version(self, invoke: Invoker, store: Path) -> None:
        invoke.new()
        before = listing(store)
        db = sqlite3.connect(index_file(store))
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
        db.execute("UPDATE tickets SET summary = 'stale'")
        db.commit()
        db.close()
        assert listing(store) == before

    def test_verify_finds_a_tampered_row_and_repairs_it(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        before = listing(store)
        assert self.verify(store) == []
        db = sqlite3.connect(index_file(store))
        db.execute("UPDATE tickets SET summary = 'forged'")
        db.commit()
        db.close()
        differences = self.verify(store)
        assert len(differences) == 1
        assert f"{ticket_path(ticket_id)}: the index differs from the file in summary" in differences[0]
        assert listing(store) == before
        assert self.verify(store) == []

    def test_verify_reads_with_the_full_loader_so_a_faulty_quick_reader_is_caught(
        self, invoke: Invoker, store: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        ticket_id = invoke.new()   # a write: no index made yet
        real = rows_module.quick_load

        def faulty(content: bytes) -> dict[str, Any]:
            return {**real(content), "summary": "misread"}

        monkeypatch.setattr(rows_module, "quick_load", faulty)
        assert [row["summary"] for row in listing(store)] == ["misread"]
        differences = self.verify(store)
        assert [d.split(": ", 1)[1] for d in differences] == [
            f"{ticket_path(ticket_id)}: the index differs from the file in summary"]

    @staticmethod
    def verify(root: Path) -> list[str]:
        store = Store(root)
        try:
            return open_index(store).verify()
        finally:
            store.close()


class TestTwoProcessesAtOnce:
    def test_both_see_the_change(self, invoke: Invoker, store: Path) -> None:
        first = invoke.new()
        listing(store)
        second = invoke.new()
        invoke(["close", first, "-m", "Done"])
        env = {"PCSDESK_NOW": NOW, "PCSDESK_USER": ETS}
        args = [sys.executable, "-m", "pcsdesk", "list", "--status", "all", "--json"]
        processes = [subprocess.Popen(args, cwd=store, env={**os.environ, **env},
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for _ in range(2)]
        outputs = [process.communicate(timeout=60) for process in processes]
        for process, (out, err) in zip(processes, outputs, strict=True):
            assert process.returncode == 0, err
            rows = {row["id"]: row["status"] for row in json.loads(out)}
            assert rows == {first: "closed", second: "open"}

    def test_both_rebuild_a_missing_index(self, invoke: Invoker, store: Path) -> None:
        made = {invoke.new() for _ in range(3)}
        index_file(store).parent.mkdir(exist_ok=True)
        for path in index_file(store).parent.glob("index.sqlite*"):
            path.unlink()
        processes = [subprocess.Popen(
            [sys.executable, "-m", "pcsdesk", "list", "--json"], cwd=store,
            env={**os.environ, "PCSDESK_NOW": NOW, "PCSDESK_USER": ETS},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        for process in processes:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            assert {row["id"] for row in json.loads(out)} == made


class TestParallelRebuild:
    def test_workers_give_the_rows_one_process_gives(self, invoke: Invoker, store: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
        for number in range(6):
            ticket_id = invoke.new("--category", "network" if number % 2 else "av")
            invoke(["assign", ticket_id, "--to", ETS if number % 2 else NETOPS, "-m", "Handed on"])
        path = store / ticket_path(invoke.new())
        path.write_text(path.read_text() + "notes: twice\n")
        commit_all(store, "A broken file among good ones")
        serial = self.rows(store)
        monkeypatch.setattr(index_module, "PARALLEL_THRESHOLD", 1)
        monkeypatch.setattr(index_module, "CHUNK", 2)
        index_file(store).unlink()
        parallel = self.rows(store)
        assert parallel == serial
        assert len(serial[0]) == 6 and len(serial[1]) == 1
        assert "duplicate key 'notes'" in serial[1][0]

    @staticmethod
    def rows(root: Path) -> tuple[list[Any], list[str]]:
        store = Store(root)
        try:
            return open_index(store).rows()
        finally:
            store.close()


class TestFilters:
    def test_filters_and_ids(self, invoke: Invoker, store: Path) -> None:
        pchs = invoke.new()
        network = invoke.new("--category", "network")
        do = invoke(["new", "--building", "DO", "--summary", "Printer jams"]).stdout.split()[0]
        invoke(["close", do, "-m", "Cleared"])
        store_ = Store(store)
        try:
            index = open_index(store_)
            assert [r.id for r in index.rows(building="PCHS")[0]] == sorted([pchs, network])
            assert [r.id for r in index.rows(assignee=NETOPS.upper())[0]] == [network]
            assert [r.id for r in index.rows(status="closed")[0]] == [do]
            assert index.ids(pchs[:6]) == sorted(i for i in (pchs, network, do) if i.startswith(pchs[:6]))
            assert index.ids("") == sorted([pchs, network, do])
            assert index.ids("9912") == []
        finally:
            store_.close()


class TestGitProcesses:
    """A logging git wrapper on PATH: a regression to one git process per ticket shows here."""

    @pytest.fixture
    def logged(self, tmp_path: Path) -> tuple[dict[str, str], Path]:
        log = tmp_path / "git.log"
        real = subprocess.run(["sh", "-c", "command -v git"], capture_output=True, text=True,
                              check=True).stdout.strip()
        wrapper_dir = tmp_path / "bin"
        wrapper_dir.mkdir()
        wrapper = wrapper_dir / "git"
        # One line per process, whatever newlines its arguments hold (commit messages do).
        wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1 $2 $3 $4" | tr -d "\\n" >> "{log}"\n'
                           f'echo >> "{log}"\nexec "{real}" "$@"\n')
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
        env = {"PATH": f"{wrapper_dir}{os.pathsep}{os.environ['PATH']}", "PCSDESK_NOW": NOW}
        return env, log

    def test_one_note(self, invoke: Invoker, store: Path, logged: tuple[dict[str, str], Path]) -> None:
        for _ in range(5):
            ticket_id = invoke.new()
        env, log = logged
        result = run_cli(["--as", ETS, "note", ticket_id, "-m", "Counted"], store, env)
        assert result.returncode == 0, result.stderr
        calls = log.read_text().splitlines()
        # rev-parse, cat-file, hash-object, mktree, commit-tree, update-ref, update-index
        assert len(calls) <= 7, calls

    def test_init_splits_the_index_so_a_commit_writes_little(self, invoke: Invoker, store: Path) -> None:
        assert git(store, "config", "core.splitIndex").strip() == "true"
        invoke.new()
        assert list((store / ".git").glob("sharedindex.*"))
        assert git(store, "status", "--porcelain") == ""

    def test_a_listing_with_a_warm_index(self, invoke: Invoker, store: Path,
                                         logged: tuple[dict[str, str], Path]) -> None:
        for _ in range(5):
            invoke.new()
        # The ticket folders as in a store nobody wrote to in the last seconds: their
        # recorded times are trusted, and git need not list them (store/worktree.py).
        an_hour_ago = time.time() - 3600
        for here, _folders, _files in os.walk(store / "tickets"):
            os.utime(here, (an_hour_ago, an_hour_ago))
        listing(store)
        env, log = logged
        result = run_cli(["--as", TEACHER, "list", "--building", "PCHS"], store, env)
        assert result.returncode == 0, result.stderr
        calls = log.read_text().splitlines()
        # rev-parse, cat-file, and status (the notice of uncommitted files), all started at once
        assert len(calls) <= 3, calls
        assert not any("ls-files" in call for call in calls), calls


# ---- the quick reader against PyYAML ----

TEXT = st.text(
    alphabet=st.sampled_from([*"ab zZ09:#-'\"|>!&*?,[]{}%@`.\\/", "\n", "\t", "é", "…", "\u2028",
                              "\x85", "\ufeff", " "]),
    max_size=40,
)
WORDS = st.sampled_from(["yes", "no", "null", "~", "true", "False", "12", "1.5", "2026-11-30",
                         "0x1F", "on", "", " ", "- item", "a: b", "a #b", "'q'", "text"])
SCALAR = st.one_of(TEXT, WORDS, st.none(), st.booleans())


@st.composite
def ticket_like(draw: st.DrawFn) -> dict[str, Any]:
    """Data shaped like a ticket file (what dump_yaml is given), with awkward values."""
    notes = draw(st.lists(st.fixed_dictionaries(
        {"at": TEXT, "by": SCALAR, "kind": WORDS, "text": st.one_of(TEXT, st.text(max_size=150))},
        optional={"to": SCALAR}), max_size=3))
    return {
        "id": draw(SCALAR), "status": draw(WORDS), "summary": draw(st.one_of(TEXT, st.text(max_size=130))),
        "description": draw(TEXT), "category": draw(SCALAR),
        "checklist": draw(st.dictionaries(st.sampled_from(["cables", "power", "on", "y"]), st.booleans())),
        "notes": notes,
    }


# Everyday text: words, quotes, colons, accents, several lines, bullets.
WORD = st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz0123456789ABC'\":#-.,!?()/@é…")),
               min_size=1, max_size=12)
SENTENCE = st.lists(WORD, max_size=30).map(" ".join)
LINES = st.lists(st.one_of(SENTENCE, st.just(""), st.just("  indented"), st.just("- bullet")),
                 min_size=1, max_size=5).map("\n".join)
EVERYDAY = st.one_of(SENTENCE, LINES, st.none(), st.booleans(),
                     st.sampled_from(["yes", "No", "null", "12", "1e3", "2026-11-30", "~", ""]))


class TestQuickReader:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ticket_like())
    def test_reads_what_the_writer_wrote_exactly_as_pyyaml_does(self, data: dict[str, Any]) -> None:
        text = dump_yaml(data).encode()
        expected = load_yaml(text, "t.yaml")
        assert expected == data        # what either reader must give back
        try:
            got = quick_load(text)
        except Declined:
            event("declined (awkward values: the full loader reads them)")
            return
        event("read on the fast path")
        assert got == expected

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.dictionaries(st.sampled_from(["id", "status", "summary", "description", "x_y"]), EVERYDAY),
           st.lists(st.dictionaries(st.sampled_from(["at", "by", "kind", "to", "text"]), EVERYDAY,
                                    min_size=1), max_size=4))
    def test_everyday_text_is_read_exactly(self, top: dict[str, Any],
                                                       notes: list[dict[str, Any]]) -> None:
        data = {**top, "checklist": {"cables": True}, "notes": notes}
        text = dump_yaml(data).encode()
        expected = load_yaml(text, "t.yaml")
        assert expected == data
        try:
            got = quick_load(text)
        except Declined:
            event("declined")   # e.g. a value PyYAML would type as a number: the full loader reads it
            return
        event("read on the fast path")
        assert got == expected

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ticket_like(), st.data())
    def test_a_damaged_file_is_read_as_pyyaml_reads_it_or_left_to_it(self, data: dict[str, Any],
                                                                     draw: st.DataObject) -> None:
        lines = dump_yaml(data).split("\n")
        number = draw.draw(st.integers(0, len(lines) - 1))
        edit = draw.draw(st.sampled_from(["indent", "dedent", "insert", "delete", "duplicate", "replace"]))
        if edit == "indent":
            lines[number] = " " + lines[number]
        elif edit == "dedent":
            lines[number] = lines[number][1:]
        elif edit == "insert":
            lines.insert(number, draw.draw(st.sampled_from(
                ["  x: 1", "- y", "#c", "", "  ", "key: value", "  text: |", "    more"])))
        elif edit == "delete":
            del lines[number]
        elif edit == "duplicate":
            lines.insert(number, lines[number])
        else:
            lines[number] = draw.draw(TEXT)
        text = "\n".join(lines).encode()
        try:
            expected: Any = yaml.load(text, Loader=index_yaml_loader())
        except yaml.YAMLError:
            expected = Declined
        try:
            got: Any = quick_load(text)
        except Declined:
            got = Declined
        if expected is Declined:
            event("PyYAML refuses it")
            assert got is Declined, f"quick reader accepted what PyYAML refuses: {text!r}"
        elif got is Declined:
            event("left to PyYAML")
        else:
            event("read on the fast path")
            assert got == expected

    def test_a_generated_store_reads_quickly(self) -> None:
        """Files as pcsdesk writes them are the quick reader's, not declined."""
        text = (
            b"id: 2611-7KQ3X\nstatus: open\npriority: normal\nbuilding: PCHS\ncategory: null\n"
            b"summary: 'Projector: no signal'\ndescription: |-\n  Line one\n\n  Line three\n"
            b"requester: jsmith@pcschools.us\nentered_by: jsmith@pcschools.us\n"
            b"entered_at: '2026-11-30T10:00:00-07:00'\nassignee: ets.pchs@pcschools.us\n"
            b"first_response_at: null\nchecklist:\n  cables: true\nnotes:\n"
            b"- at: '2026-11-30T11:00:00-07:00'\n  by: ets.pchs@pcschools.us\n  kind: note\n"
            b"  text: Needs admin rights on the server. I confirmed the account exists and the error\n"
            b"    repeats after a reboot.\n"
        )
        assert quick_load(text) == load_yaml(text, "t.yaml")


def index_yaml_loader() -> Any:
    """The strict loader the commands use (duplicate keys are errors)."""
    from pcsdesk.store import yamlio

    return yamlio._StrictLoader
