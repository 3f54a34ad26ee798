"""`pcsdesk pre-receive`: the git server's gate, installed in a bare repository and pushed to for real.

The server is a bare repository with the hook installed, served over smart HTTP by
`git http-backend` behind Basic authentication (tests/git_http.py), so REMOTE_USER
names the pusher as Apache would; two technicians push from their own clones.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from git_http import GitHttpServer
from support import ETS, TECH, Invoker, clock, git, hand_edit, line_of, make_hermetic

from pcsdesk.rules.ids import ticket_path

ADMIN = "director.technology@pcschools.us"   # district.admins in the default buildings.yaml
PORTAL = "portal@pcschools.us"               # district.service_account
HOOK = f'#!/bin/sh\nexec "{sys.executable}" -m pcsdesk pre-receive "$@"\n'


def install_hook(bare: Path, hook: str = HOOK) -> None:
    path = bare / "hooks" / "pre-receive"
    path.write_text(hook)
    path.chmod(0o755)


def push(clone: Path, *args: str, at: str = "2026-11-30T10:00") -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "push", *args], cwd=clone, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **clock(at)})


def commit_as(clone: Path, author: str, message: str, at: str = "2026-11-30T10:00") -> None:
    env = {**os.environ, **clock(at), "GIT_AUTHOR_EMAIL": author, "GIT_AUTHOR_NAME": author.split("@")[0]}
    subprocess.run(["git", "commit", "-q", "-am", message], cwd=clone, env=env, check=True)


def remote_lines(stderr: str) -> list[str]:
    return [line.removeprefix("remote: ").strip() for line in stderr.splitlines() if line.startswith("remote: ")]


class Server:
    """The district's git server over HTTP and two technicians' clones: A (the ETS) and B (the tech).

    Made once for the class (a server and two clones over HTTP take seconds); each
    test starts from the same pushed state, see `server`.
    """

    def __init__(self, root: Path, http: GitHttpServer) -> None:
        store = root / "store"
        Invoker(store)(["init", str(store)], as_user=ADMIN, now="2026-11-01T08:00")
        self.bare = root / "server.git"
        git(root, "clone", "-q", "--bare", str(store), str(self.bare))
        install_hook(self.bare)
        self.a_path, self.b_path = root / "a", root / "b"
        git(root, "clone", "-q", http.url("ets.pchs", "server.git"), str(self.a_path))
        git(root, "clone", "-q", http.url("tech.pchs", "server.git"), str(self.b_path))
        self.a, self.b = Invoker(self.a_path), Invoker(self.b_path)
        self.ticket = self.a.new(now="2026-11-30T09:00")
        self.a(["note", self.ticket, "-m", "Looked at it"], now="2026-11-30T09:30")
        assert push(self.a_path).returncode == 0
        self.b(["sync"], as_user=TECH, now="2026-11-30T09:40")
        self.path = ticket_path(self.ticket)
        self.start = self.head()

    def head(self) -> str:
        return git(self.bare, "rev-parse", "main").strip()

    def reset(self) -> None:
        git(self.bare, "update-ref", "refs/heads/main", self.start)
        for clone in (self.a_path, self.b_path):
            git(clone, "fetch", "-q", "origin")
            git(clone, "reset", "-q", "--hard", self.start)


@pytest.fixture(scope="class")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("served")
    with pytest.MonkeyPatch.context() as monkeypatch:
        (root / "home").mkdir()
        make_hermetic(monkeypatch, root / "home")
        with GitHttpServer(root) as http:
            yield Server(root, http)


@pytest.fixture
def server(served: Server) -> Server:
    served.reset()
    return served


class TestOverHttp:
    def test_an_honest_push_is_accepted_silently(self, server: Server) -> None:
        server.b(["note", server.ticket, "-m", "Lamp is fine"], as_user=TECH, now="2026-11-30T10:00")
        done = push(server.b_path)
        assert done.returncode == 0, done.stderr
        assert remote_lines(done.stderr) == []
        assert server.head() == git(server.b_path, "rev-parse", "HEAD").strip()

    def test_an_edited_note_is_refused_with_its_reason(self, server: Server) -> None:
        before = server.head()
        hand_edit(server.b_path, server.ticket, lambda t: t.replace("Looked at it", "Never looked"),
                  author=TECH, at="2026-11-30T10:00")
        done = push(server.b_path)
        assert done.returncode != 0
        assert remote_lines(done.stderr) == [
            f"{server.path}:{line_of(server.b_path, server.path, 'Never looked') - 3}: note 1 at the server's main (the note of 2026-11-30T09:30:00-07:00 by {ETS}) "
            "was edited; notes are never changed"
        ]
        assert "pre-receive hook declined" in done.stderr
        assert server.head() == before

    def test_a_force_push_dropping_a_note_is_refused(self, server: Server) -> None:
        server.a(["note", server.ticket, "-m", "Ordered a lamp"], now="2026-11-30T10:00")
        assert push(server.a_path).returncode == 0
        pushed = server.head()
        server.b(["note", server.ticket, "-m", "Lamp is fine"], as_user=TECH, now="2026-11-30T10:05")
        done = push(server.b_path, "--force", at="2026-11-30T10:05")
        assert done.returncode != 0
        reasons = remote_lines(done.stderr)
        assert reasons[0] == (
            "refs/heads/main: not a fast-forward: the push would drop 1 commit(s) the server holds (the "
            "record is append-only); fetch and merge first (pcsdesk sync), never force-push"
        )
        assert any("(the note of 2026-11-30T10:00:00-07:00 by ets.pchs@pcschools.us) was removed" in r
                   for r in reasons)
        assert server.head() == pushed

    def test_a_commit_authored_as_someone_else_is_refused(self, server: Server) -> None:
        server.b(["note", server.ticket, "-m", "Replaced the lamp"], as_user=ETS, now="2026-11-30T10:00")
        forged = git(server.b_path, "rev-parse", "--short=10", "HEAD").strip()
        done = push(server.b_path)
        assert done.returncode != 0
        assert remote_lines(done.stderr) == [
            f"commit {forged} is authored by {ETS} but pushed by {TECH}; push only your own commits "
            "(each technician syncs from their own clone)"
        ]

    def test_a_calendar_change_by_a_non_admin_is_refused(self, server: Server) -> None:
        calendar = server.b_path / "calendar.yaml"
        calendar.write_text(calendar.read_text() + "# a snow day\n")
        commit_as(server.b_path, TECH, "Snow day")
        done = push(server.b_path)
        assert done.returncode != 0
        assert remote_lines(done.stderr) == [
            f"calendar.yaml: only the district's admins may change it (district.admins in buildings.yaml: "
            f"{ADMIN}); {TECH} is not one: ask an admin to make the change"
        ]

    def test_sync_shows_the_servers_reasons(self, server: Server) -> None:
        server.b(["note", server.ticket, "-m", "Replaced the lamp"], as_user=ETS, now="2026-11-30T10:00")
        forged = git(server.b_path, "rev-parse", "--short=10", "HEAD").strip()
        result = server.b(["sync"], ok=False, as_user=TECH, now="2026-11-30T10:01")
        assert result.stderr == (
            f"Error: origin refused the push: commit {forged} is authored by {ETS} but pushed by {TECH}; "
            "push only your own commits (each technician syncs from their own clone); the merge is kept "
            "here, nothing was sent\n"
        )


@pytest.fixture
def bare(tmp_path: Path, store: Path) -> tuple[Path, Path]:
    """A bare server repository with the hook, and one clone of it pushed to by path."""
    server = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(store), str(server))
    install_hook(server)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(server), str(clone))
    return server, clone


def local_push(clone: Path, user: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **clock("2026-11-30T10:00")}
    env.pop("REMOTE_USER", None)
    if user is not None:
        env["REMOTE_USER"] = user
    return subprocess.run(["git", "push", *args], cwd=clone, env=env, capture_output=True, text=True,
                          timeout=120)


class TestWhoMayPushWhat:
    def test_deleting_the_branch_is_refused(self, bare: tuple[Path, Path]) -> None:
        server, clone = bare
        done = local_push(clone, ADMIN, "origin", ":main")
        assert remote_lines(done.stderr)[0].startswith("refs/heads/main: deleting the store's branch is refused")
        assert git(server, "rev-parse", "main")

    def test_a_pusher_the_server_does_not_name_is_refused(self, bare: tuple[Path, Path]) -> None:
        _, clone = bare
        Invoker(clone).new()
        done = local_push(clone, None)
        assert done.returncode != 0
        assert remote_lines(done.stderr)[0].startswith("the server did not say who is pushing")

    def test_a_bare_name_gets_the_districts_domain(self, bare: tuple[Path, Path]) -> None:
        _, clone = bare
        Invoker(clone).new()
        assert local_push(clone, "ets.pchs").returncode == 0

    def test_the_service_account_pushes_everyones_commits(self, bare: tuple[Path, Path]) -> None:
        _, clone = bare
        Invoker(clone).new(as_user=TECH)
        Invoker(clone).new(as_user="jsmith@pcschools.us")
        assert local_push(clone, TECH).returncode != 0
        done = local_push(clone, PORTAL)
        assert done.returncode == 0, done.stderr

    def test_an_admin_may_change_the_rules(self, bare: tuple[Path, Path]) -> None:
        _, clone = bare
        (clone / "calendar.yaml").write_text((clone / "calendar.yaml").read_text() + "# snow\n")
        commit_as(clone, ADMIN, "Snow day")
        done = local_push(clone, ADMIN)
        assert done.returncode == 0, done.stderr
        assert remote_lines(done.stderr) == []

    def test_an_admin_added_in_the_same_push_is_not_one_yet(self, bare: tuple[Path, Path]) -> None:
        _, clone = bare
        text = (clone / "buildings.yaml").read_text()
        (clone / "buildings.yaml").write_text(text.replace(f"admins: [{ADMIN}]", f"admins: [{ADMIN}, {TECH}]"))
        commit_as(clone, TECH, "Me too")
        done = local_push(clone, TECH)
        assert done.returncode != 0
        assert remote_lines(done.stderr)[0].startswith("buildings.yaml: only the district's admins may change it")

    def test_other_branches_are_not_the_store(self, bare: tuple[Path, Path]) -> None:
        _, clone = bare
        git(clone, "switch", "-q", "-c", "review")
        Invoker(clone).new(as_user=TECH)
        assert local_push(clone, ETS, "origin", "review").returncode == 0

    def test_a_backdated_note_is_refused(self, bare: tuple[Path, Path]) -> None:
        _, clone = bare
        ticket_id = Invoker(clone).new()
        Invoker(clone)(["note", ticket_id, "-m", "On it"],
                       env={"PCSDESK_NOW": "2026-11-30T10:00", "GIT_COMMITTER_DATE": "2026-12-03T10:00:00-07:00"})
        done = local_push(clone, ETS)
        assert done.returncode != 0
        assert "is backdated" in remote_lines(done.stderr)[0]


class TestRunByHand:
    def test_it_reads_git_lines_and_runs_without_a_work_tree(self, bare: tuple[Path, Path]) -> None:
        server, clone = bare
        old = git(server, "rev-parse", "main").strip()
        Invoker(clone).new()
        git(clone, "push", "-q", "origin", "main:refs/heads/incoming")   # not gated: not the store's branch
        new = git(server, "rev-parse", "incoming").strip()
        env = {**os.environ, "GIT_DIR": str(server), "REMOTE_USER": ETS}
        run = [sys.executable, "-m", "pcsdesk", "pre-receive"]
        ok = subprocess.run(run, cwd=server.parent, env=env, input=f"{old} {new} refs/heads/main\n",
                            capture_output=True, text=True)
        assert (ok.returncode, ok.stdout, ok.stderr) == (0, "", "")
        refused = subprocess.run([*run, "--pusher", "rlee"], cwd=server.parent, env=env,
                                 input=f"{old} {new} refs/heads/main\n", capture_output=True, text=True)
        assert refused.returncode == 1
        assert "but pushed by rlee@pcschools.us" in refused.stderr
        bad = subprocess.run(run, cwd=server, env=env, input="nonsense\n", capture_output=True, text=True)
        assert bad.stderr.startswith("Error: line 1 of standard input is not `OLD NEW REF`")
