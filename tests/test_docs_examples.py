"""The console examples of README.md and docs/*.md are real: run them, compare the output exactly.

When a change alters what pcsdesk prints, refresh every example with
`python scripts/docs_examples.py --update` and review the diff (README, "Development").
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import docs_examples  # noqa: E402

SESSIONS = docs_examples.all_sessions()


@pytest.mark.parametrize("session", SESSIONS, ids=[session[0].name for session in SESSIONS])
def test_the_example_prints_what_the_docs_show(session: list[docs_examples.Example], tmp_path: Path) -> None:
    results = docs_examples.run_session(session, tmp_path)
    differences = docs_examples.differences(session, results)
    assert differences == [], ("\n\n".join(differences)
                               + "\n\nrun `python scripts/docs_examples.py --update` and review the diff")


def test_the_main_examples_are_run_not_skipped() -> None:
    run = {example.name.split(":")[0] for session in SESSIONS for example in session}
    assert {"README.md", "docs/ticket-flow.md", "docs/overdue-and-report.md"} <= run
    commands = sum(len(example.commands) for session in SESSIONS for example in session)
    assert commands >= 40


def test_every_skipped_example_says_why() -> None:
    skipped = [example for example in docs_examples.iter_examples() if example.skip is not None]
    assert all(len(example.skip or "") > 20 for example in skipped), [e.name for e in skipped]


WALK = """\
Some prose.

<!-- example: setup=empty now=2026-11-30T10:00 dir=/tmp/rd -->
```console
$ export PCSDESK_USER=jsmith@pcschools.us
$ pcsdesk init helpdesk && cd helpdesk
Initialized pcsdesk store in /tmp/somewhere-else
$ pcsdesk new --building XX --summary x
Error: this is not what it says
$ printf 'two\\nlines\\n' <<'END'
ignored
END
two
lines
```

<!-- example: continue -->
  ```console
  $ pcsdesk new --building PCHS --summary "Projector dark" | cut -c1-10
  ```
"""


class TestTheRunner:
    def test_it_catches_a_wrong_output_and_rewrites_it(self, tmp_path: Path) -> None:
        document = tmp_path / "doc.md"
        document.write_text(WALK)
        examples = docs_examples.find_examples(document)
        assert [len(example.commands) for example in examples] == [4, 1]
        session = docs_examples.sessions(examples)[0]
        results = docs_examples.run_session(session, tmp_path / "run")
        found = docs_examples.differences(session, results)
        assert len(found) == 3      # the init path, the error, the new ticket's ID
        assert "+Initialized pcsdesk store in /tmp/rd/helpdesk" in found[0]   # the folder, as dir= shows it

        assert docs_examples.rewrite(document, {e.line: r for e, r in zip(session, results, strict=True)})
        text = document.read_text()
        assert "Initialized pcsdesk store in /tmp/rd/helpdesk\n" in text
        assert "Error: unknown building 'XX'; known: DO, EHMS, JRES, MES, PCHS, PPES, TES, TMJH\n" in text
        assert "$ printf 'two\\nlines\\n' <<'END'\nignored\nEND\ntwo\nlines\n```" in text
        assert "\n  $ pcsdesk new --building PCHS --summary \"Projector dark\" | cut -c1-10\n  2611-" in text

        again = docs_examples.sessions(docs_examples.find_examples(document))[0]
        assert docs_examples.differences(again, docs_examples.run_session(again, tmp_path / "again")) == []

    def test_ids_come_from_the_summary_and_time_so_every_run_agrees(self, tmp_path: Path) -> None:
        document = tmp_path / "doc.md"
        document.write_text(WALK)
        ids = []
        for attempt in ("one", "two"):
            session = docs_examples.sessions(docs_examples.find_examples(document))[0]
            ids.append(docs_examples.run_session(session, tmp_path / attempt)[1][0])
        assert ids[0] == ids[1] and ids[0][0].startswith("2611-")

    def test_a_block_without_a_marker_is_an_error(self, tmp_path: Path) -> None:
        document = tmp_path / "doc.md"
        document.write_text("```console\n$ pcsdesk list\n```\n")
        with pytest.raises(docs_examples.ExampleError, match=r"doc\.md:1: a console example needs a marker"):
            docs_examples.find_examples(document)

    def test_a_skip_needs_a_reason(self, tmp_path: Path) -> None:
        document = tmp_path / "doc.md"
        document.write_text("<!-- example: skip -->\n```console\n$ pcsdesk list\n```\n")
        with pytest.raises(docs_examples.ExampleError, match="needs a reason"):
            docs_examples.find_examples(document)
