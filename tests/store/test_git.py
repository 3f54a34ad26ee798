"""The one door to git: running git, the cat-file reader, tree writing and the commit builder, on real repositories."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support import git

from pcsdesk.store.git import (
    Author,
    Git,
    GitFailed,
    ObjectReader,
    TreeWriter,
    commit_tree,
    trailers,
    updated_tree,
)

WHEN = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("America/Denver"))


@pytest.fixture
def repo(tmp_path: Path) -> Git:
    git(tmp_path, "init", "-q", "-b", "main")
    return Git(tmp_path)


def blob(repo: Git, content: bytes) -> str:
    return repo.text("hash-object", "-w", "--stdin", input=content)


class TestRunning:
    def test_run_text_ok_attempt_and_config(self, repo: Git) -> None:
        assert repo.text("rev-parse", "--is-inside-work-tree") == "true"
        assert repo.ok("rev-parse", "--git-dir") and not repo.ok("rev-parse", "--verify", "-q", "HEAD")
        done = repo.attempt("rev-parse", "--verify", "nonsense")
        assert done.returncode != 0 and done.stderr
        repo.run("config", "pcsdesk.test", "yes")
        assert repo.config("pcsdesk.test") == "yes" and repo.config("pcsdesk.absent") == ""

    def test_a_failure_carries_gits_own_words(self, repo: Git) -> None:
        with pytest.raises(GitFailed, match=r"git cat-file failed: .*"):
            repo.run("cat-file", "-p", "0" * 40)

    def test_paths_come_back_unquoted(self, repo: Git) -> None:
        (repo.root / "café.yaml").write_text("x\n")
        repo.run("add", "café.yaml")
        assert repo.text("diff", "--cached", "--name-only") == "café.yaml"


class TestReader:
    def test_objects_blobs_trees_and_missing_ones(self, repo: Git) -> None:
        first, second = blob(repo, b"one\n"), blob(repo, b"two\n")
        reader = ObjectReader(repo, 20)
        try:
            assert reader.blob(first) == b"one\n"
            assert reader.read("0" * 40) is None
            assert reader.blobs([first, "0" * 40, second]) == [b"one\n", None, b"two\n"]
            writer = TreeWriter(repo)
            try:
                tree = updated_tree(reader, writer, None, {"a/b.yaml": first, "c.yaml": second})
            finally:
                writer.close()
            assert [(e.name, e.is_tree) for e in reader.tree(tree) or []] == [(b"a", True), (b"c.yaml", False)]
            assert reader.blob(f"{tree}:a/b.yaml") == b"one\n"
            with pytest.raises(ValueError):
                reader.object("HEAD\n--all")
        finally:
            reader.close()

    def test_many_blobs_in_batches_come_back_in_order(self, repo: Git) -> None:
        contents = [f"ticket {n}\n".encode() * (n % 7 + 1) for n in range(ObjectReader.BATCH * 2 + 3)]
        oids = repo.text("hash-object", "-w", "--stdin-paths", input=b"".join(
            self._files(repo.root, contents))).split()
        reader = ObjectReader(repo, 20)
        try:
            assert reader.blobs(oids) == contents
        finally:
            reader.close()

    @staticmethod
    def _files(root: Path, contents: list[bytes]) -> list[bytes]:
        names = []
        for number, content in enumerate(contents):
            path = root / f"f{number}"
            path.write_bytes(content)
            names.append(f"{path}\n".encode())
        return names


class TestCommits:
    def test_the_commit_builder_dates_and_signs_every_commit_alike(self, repo: Git) -> None:
        reader = ObjectReader(repo, 20)
        writer = TreeWriter(repo)
        try:
            tree = updated_tree(reader, writer, None, {"tickets/x.yaml": blob(repo, b"x\n")})
        finally:
            writer.close()
            reader.close()
        author = Author("PCHS ETS", "ets.pchs@pcschools.us")
        first = commit_tree(repo, tree, [], f"First\n\n{trailers('new', '2611-AV52R')}", author, WHEN)
        side = commit_tree(repo, tree, [first], "Side\n", author, WHEN)
        second = commit_tree(repo, tree, [first, side], "Merge\n", author, WHEN)
        shown = repo.text("log", "-1", "--format=%an <%ae>|%cn <%ce>|%aI|%P|%(trailers:key=Pcsdesk-Action,valueonly)",
                          first)
        assert shown == "PCHS ETS <ets.pchs@pcschools.us>|PCHS ETS <ets.pchs@pcschools.us>|" \
                        "2026-11-30T10:00:00-07:00||new"
        assert repo.text("log", "-1", "--format=%P", second).split() == [first, side]

    def test_trailers(self) -> None:
        assert trailers("sync") == "Pcsdesk-Action: sync\n"
        assert trailers("note", "2611-AV52R") == "Pcsdesk-Ticket: 2611-AV52R\nPcsdesk-Action: note\n"
