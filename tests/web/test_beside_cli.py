"""The server beside the CLI on one store: notes from both at once, none lost, each its own commit.

A real `pcsdesk serve` and real `pcsdesk note` processes, started together on the same
ticket; afterwards the ticket holds every note once, the history has one commit per note
touching only that ticket, and `check` is clean.
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

from live import LiveServer, hermetic_env, make_store
from support import TEACHER, TECH, git

from pcsdesk.rules.ids import ticket_path

EACH = 6   # notes from the web and from the CLI, all started at the same moment
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class WebSession:
    """One signed-in person's browser, as plain HTTP: the session cookie and the form's CSRF token."""

    def __init__(self, url: str, who: str, page: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.headers = {"X-Forwarded-Email": who}
        status, headers, body = self.request("GET", page)
        assert status == 200, body
        cookie = headers.get("Set-Cookie", "")
        self.headers["Cookie"] = cookie.split(";", 1)[0]
        found = _TOKEN.search(body)
        assert found and cookie, body
        self.token = found.group(1)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            headers = dict(self.headers)
            body = None
            if form is not None:
                body = urllib.parse.urlencode({**form, "csrf_token": self.token})
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            connection.close()


def pcsdesk(store: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pcsdesk", "--store", str(store), *args],
                          env=env, capture_output=True, text=True, timeout=300)


def test_cli_notes_and_web_notes_at_once_lose_nothing_and_are_one_commit_each(tmp_path: Path) -> None:
    env = hermetic_env(tmp_path, None)   # the real clock, as on the server
    store = make_store(tmp_path, env)
    entered = pcsdesk(store, env, "--as", TEACHER, "new", "--building", "PCHS",
                      "--summary", "Projector flickers every few minutes")
    assert entered.returncode == 0, entered.stderr
    ticket_id = entered.stdout.split()[0]
    page = f"/tickets/{ticket_id}"
    expected = [f"web note {n}" for n in range(EACH)] + [f"cli note {n}" for n in range(EACH)]
    with LiveServer(store, env) as server:
        browser = WebSession(server.url, TEACHER, page)
        before = git(store, "rev-parse", "HEAD").strip()
        start = threading.Barrier(2 * EACH)
        answers: list[object] = []

        def from_the_web(n: int) -> None:
            start.wait()
            status, _headers, body = browser.request("POST", page, {"action": "note", "note": f"web note {n}"})
            answers.append(status if status == 303 else (status, body[-400:]))

        def from_the_cli(n: int) -> None:
            start.wait()
            done = pcsdesk(store, env, "--as", TECH, "note", ticket_id, "-m", f"cli note {n}")
            answers.append(303 if done.returncode == 0 else (done.returncode, done.stderr))

        threads = [threading.Thread(target=from_the_web, args=(n,)) for n in range(EACH)]
        threads += [threading.Thread(target=from_the_cli, args=(n,)) for n in range(EACH)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [303] * (2 * EACH), answers
        assert server.stop() == 0

    shown = pcsdesk(store, env, "show", ticket_id, "--json")
    notes = json.loads(shown.stdout)["notes"]
    assert sorted(note["text"] for note in notes) == sorted(expected)   # each once, none lost
    assert {note["by"] for note in notes if note["text"].startswith("web")} == {TEACHER}
    assert {note["by"] for note in notes if note["text"].startswith("cli")} == {TECH}
    made = git(store, "rev-list", "--parents", f"{before}..HEAD").splitlines()
    assert len(made) == 2 * EACH
    path = ticket_path(ticket_id)
    for line in made:
        commit, *parents = line.split()
        assert len(parents) == 1, "no merge commits"
        assert git(store, "diff-tree", "--no-commit-id", "--name-only", "-r", commit).split() == [path]
    assert pcsdesk(store, env, "check").returncode == 0
    assert git(store, "status", "--porcelain") == ""
