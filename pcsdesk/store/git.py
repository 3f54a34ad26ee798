"""The one door to git: every git process pcsdesk starts, the one `cat-file --batch` reader, the commit builder.

Nothing else in pcsdesk imports subprocess to run git: commands run through Git
(run, attempt, ok, start), objects are read through one ObjectReader per process,
trees are written through TreeWriter and commits made by commit_tree, which both
ticket commits and sync's merge commits use.

Why plumbing: a commit built from trees (hash-object, mktree of only the folders on
the changed path, commit-tree) and published with a compare-and-swap update-ref
costs about 10 ms whatever the store's size; `git add` + `git commit` stats every
file and rewrites the whole index (340 ms at 100,000 tickets) and sweeps in
whatever the technician had staged. GitPython is not used on these paths: its
import alone (150-225 ms) would exceed a write command's whole budget.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, NamedTuple

from pcsdesk.errors import PcsdeskError

# The trailers every pcsdesk commit ends with, which `log`, sync and scripts read back;
# git matches trailer keys in any case.
TICKET_TRAILER = "Pcsdesk-Ticket"
ACTION_TRAILER = "Pcsdesk-Action"


def trailers(action: str, ticket_id: str | None = None) -> str:
    """The closing lines of a pcsdesk commit message: which ticket, which action."""
    named = f"{TICKET_TRAILER}: {ticket_id}\n" if ticket_id else ""
    return f"{named}{ACTION_TRAILER}: {action}\n"


class GitFailed(PcsdeskError):
    """A git command failed where it should not have; the message carries git's own words."""

    def __init__(self, args: list[str], stderr: bytes) -> None:
        detail = stderr.decode("utf-8", "replace").strip().splitlines()
        self.stderr = stderr
        super().__init__(f"git {args[0]} failed: {detail[-1] if detail else 'no message'}")


class Author(NamedTuple):
    """Who a commit is by (author and committer both)."""

    name: str
    email: str


# Every git process is started with this in front of its arguments: paths in
# output we parse are never C-quoted, whatever the user's configuration.
_GIT = ("git", "-c", "core.quotepath=off")


class Git:
    """Runs git in one work tree with a fixed environment."""

    def __init__(self, root: Path, env: Mapping[str, str] | None = None) -> None:
        self.root = root
        base = dict(os.environ)
        # Output we parse must not be translated, paged, or altered by the user's
        # configuration of colours and path quoting.
        base.update({"LC_ALL": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"})
        if env:
            base.update(env)
        self.env = base

    def attempt(
        self, *args: str, input: bytes | None = None, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """Run git and hand back its exit status, output and errors, for the caller to judge."""
        full_env = {**self.env, **env} if env else self.env
        return subprocess.run(
            [*_GIT, *args], cwd=self.root, input=input, env=full_env, capture_output=True
        )

    def run(
        self,
        *args: str,
        input: bytes | None = None,
        env: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> bytes:
        result = self.attempt(*args, input=input, env=env)
        if check and result.returncode != 0:
            raise GitFailed(list(args), result.stderr)
        return result.stdout

    def popen(self, *args: str, stdin: int = subprocess.DEVNULL, stderr: int | None = subprocess.PIPE,
              ) -> subprocess.Popen[bytes]:
        """A git process to talk to through pipes (cat-file --batch, mktree --batch)."""
        return subprocess.Popen(
            [*_GIT, *args], cwd=self.root, env=self.env,
            stdin=stdin, stdout=subprocess.PIPE, stderr=stderr,
        )

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        """Start a git command whose output is collected later with finish()."""
        return self.popen(*args)

    def pipe(self, *args: str) -> subprocess.Popen[bytes]:
        """Start a git command that reads requests on stdin and answers each on stdout."""
        return self.popen(*args, stdin=subprocess.PIPE)

    def finish(self, process: subprocess.Popen[bytes], args: tuple[str, ...]) -> str:
        """The output of a command begun with start(), as text(); GitFailed if it failed."""
        stdout, stderr = process.communicate()
        if process.returncode != 0:
            raise GitFailed(list(args), stderr)
        return stdout.decode("utf-8", "replace").strip()

    def ok(self, *args: str, env: Mapping[str, str] | None = None) -> bool:
        return self.attempt(*args, env=env).returncode == 0

    def text(self, *args: str, input: bytes | None = None) -> str:
        return self.run(*args, input=input).decode("utf-8", "replace").strip()

    def config(self, key: str) -> str:
        """A git config value, "" when it is not set."""
        return self.run("config", "--get", key, check=False).decode("utf-8", "replace").strip()


def end_pipe(process: subprocess.Popen[bytes]) -> None:
    """End a git process started with Git.pipe(): no more requests, then wait for it to exit."""
    assert process.stdin is not None
    process.stdin.close()
    process.wait()


class TreeEntry(NamedTuple):
    """One entry of a tree object (a named tuple: cheaper to create, at import and per entry)."""

    mode: str
    name: bytes
    oid: str

    @property
    def is_tree(self) -> bool:
        return self.mode == "40000" or self.mode == "040000"


class ObjectReader:
    """One `git cat-file --batch` process for every object read in an invocation."""

    def __init__(self, git: Git, hash_bytes: int, process: subprocess.Popen[bytes] | None = None) -> None:
        self._git = git
        self._hash_bytes = hash_bytes
        self._proc: subprocess.Popen[bytes] | None = process

    # Requests written before their answers are read: small enough that they fit in
    # a pipe buffer (64 KiB) while cat-file answers, so neither side waits on the other.
    BATCH = 256

    @staticmethod
    def start(git: Git) -> subprocess.Popen[bytes]:
        """The `git cat-file --batch` process, started now (see Store.start_git)."""
        return git.popen("cat-file", "--batch", stdin=subprocess.PIPE, stderr=None)

    def _pipe(self) -> tuple[IO[bytes], IO[bytes]]:
        if self._proc is None:
            self._proc = self.start(self._git)
        assert self._proc.stdin is not None and self._proc.stdout is not None
        return self._proc.stdin, self._proc.stdout

    def alive(self) -> bool:
        """Whether the process still answers (or has not been started yet)."""
        return self._proc is None or self._proc.poll() is None

    def read(self, name: str) -> tuple[str, bytes] | None:
        """(type, content) of an object by name (`<commit>:<path>` or an oid), None if missing."""
        found = self.object(name)
        return (found[1], found[2]) if found is not None else None

    def object(self, name: str) -> tuple[str, str, bytes] | None:
        """(oid, type, content) of an object by name, None if missing.

        The oid is what the index keys on: `<commit>:tickets` gives the tickets
        folder's tree id and its entries in one round trip.
        """
        if "\n" in name:
            raise ValueError("object names cannot hold a newline")
        stdin, stdout = self._pipe()
        stdin.write(name.encode() + b"\n")
        stdin.flush()
        return self._answer(stdout)

    @staticmethod
    def _answer(stdout: IO[bytes]) -> tuple[str, str, bytes] | None:
        """One answer of the batch protocol: `<oid> <type> <size>\\n<content>\\n`, or `<name> missing`."""
        header = stdout.readline().split()
        if len(header) != 3:
            return None
        size = int(header[2])
        content = stdout.read(size)
        stdout.read(1)
        return header[0].decode(), header[1].decode(), content

    def blobs(self, oids: Sequence[str]) -> list[bytes | None]:
        """The contents of many blobs, in order (None for a missing one or not a blob).

        Requests go BATCH at a time, so a thousand files cost a few round trips, not
        a thousand.
        """
        stdin, stdout = self._pipe()
        out: list[bytes | None] = []
        for start in range(0, len(oids), self.BATCH):
            batch = oids[start:start + self.BATCH]
            if any("\n" in oid for oid in batch):
                raise ValueError("object names cannot hold a newline")
            stdin.write(b"".join(f"{oid}\n".encode() for oid in batch))
            stdin.flush()
            for _oid in batch:
                found = self._answer(stdout)
                out.append(found[2] if found is not None and found[1] == "blob" else None)
        return out

    def blob(self, name: str) -> bytes | None:
        found = self.read(name)
        return found[1] if found and found[0] == "blob" else None

    def tree(self, name: str) -> list[TreeEntry] | None:
        found = self.read(name)
        if found is None or found[0] != "tree":
            return None
        return self.parse_tree(found[1])

    def parse_tree(self, raw: bytes) -> list[TreeEntry]:
        entries = []
        pos = 0
        while pos < len(raw):
            space = raw.index(b" ", pos)
            nul = raw.index(b"\0", space)
            oid = raw[nul + 1 : nul + 1 + self._hash_bytes].hex()
            entries.append(TreeEntry(raw[pos:space].decode(), raw[space + 1 : nul], oid))
            pos = nul + 1 + self._hash_bytes
        return entries

    def close(self) -> None:
        if self._proc is not None:
            end_pipe(self._proc)
            self._proc = None


def _quote_name(name: bytes) -> bytes:
    """A tree entry name as `git mktree` reads it: C-quoted when it holds odd bytes."""
    if not any(b < 0x20 or b in (0x22, 0x5C, 0x7F) or b >= 0x80 for b in name):
        return name
    out = bytearray(b'"')
    for b in name:
        if b == 0x22 or b == 0x5C:
            out += b"\\" + bytes([b])
        elif b < 0x20 or b >= 0x7F:
            out += b"\\%03o" % b
        else:
            out.append(b)
    return bytes(out + b'"')


class TreeWriter:
    """Builds trees with one `git mktree --batch` process, feeding one tree at a time."""

    def __init__(self, git: Git) -> None:
        self._proc = git.popen("mktree", "--batch", stdin=subprocess.PIPE)

    def write(self, entries: list[TreeEntry]) -> str:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        lines = []
        for entry in entries:
            kind = "tree" if entry.is_tree else "commit" if entry.mode == "160000" else "blob"
            lines.append(b"%s %s %s\t%s\n" % (
                entry.mode.encode(), kind.encode(), entry.oid.encode(), _quote_name(entry.name)
            ))
        self._proc.stdin.write(b"".join(lines) + b"\n")
        self._proc.stdin.flush()
        oid = self._proc.stdout.readline().decode().strip()
        if not oid:
            self.close()
            raise GitFailed(["mktree"], b"could not build a tree")
        return oid

    def close(self) -> None:
        end_pipe(self._proc)


class BlobWriter:
    """One `git hash-object -w --stdin-paths` process for every blob a store writes.

    A `hash-object` process per commit cost ~5 ms of a write's path; kept, one blob
    costs ~0.5 ms. It reads files, not stdin, so each content goes first to a
    scratch file in `folder` (inside the git dir: never in the work tree, where a
    killed command would leave it for `git status` to show). `--no-filters`: the
    bytes as given, as `hash-object --stdin` stores them.
    """

    def __init__(self, git: Git, folder: Path) -> None:
        self._git = git
        # Absolute: git runs in the work tree, not where this process started.
        self._folder = Path(os.path.abspath(folder))
        self._proc: subprocess.Popen[bytes] | None = None

    def write(self, content: bytes) -> str:
        self._folder.mkdir(parents=True, exist_ok=True)
        scratch = self._folder / f"blob-{os.getpid()}-{threading.get_ident()}.tmp"
        scratch.write_bytes(content)
        try:
            if self._proc is None:
                self._proc = self._git.popen("hash-object", "-w", "--stdin-paths", "--no-filters",
                                             stdin=subprocess.PIPE)
            assert self._proc.stdin is not None and self._proc.stdout is not None
            self._proc.stdin.write(str(scratch).encode() + b"\n")
            self._proc.stdin.flush()
            oid = self._proc.stdout.readline().decode().strip()
        except OSError as e:
            self.close()
            raise GitFailed(["hash-object"], str(e).encode()) from e
        finally:
            scratch.unlink(missing_ok=True)
        if not oid:
            stderr = self._proc.stderr.read() if self._proc.stderr is not None else b""
            self.close()
            raise GitFailed(["hash-object"], stderr or b"could not store a blob")
        return oid

    def close(self) -> None:
        if self._proc is not None:
            assert self._proc.stdin is not None
            try:
                self._proc.stdin.close()
            except OSError:
                pass
            self._proc.wait()
            self._proc = None


def updated_tree(
    reader: ObjectReader, writer: TreeWriter, tree_oid: str | None, changes: Mapping[str, str]
) -> str:
    """The tree `tree_oid` with each path in `changes` pointing at its new blob.

    Only the folders on a changed path are read and rewritten, so the cost follows
    the depth of the path, not the number of tickets.
    """
    entries = {e.name: e for e in (reader.tree(tree_oid) or [])} if tree_oid else {}
    by_child: dict[str, dict[str, str]] = {}
    for path, blob_oid in changes.items():
        head, _, rest = path.partition("/")
        if rest:
            by_child.setdefault(head, {})[rest] = blob_oid
        else:
            entries[head.encode()] = TreeEntry("100644", head.encode(), blob_oid)
    for child, child_changes in by_child.items():
        existing = entries.get(child.encode())
        existing_oid = existing.oid if existing is not None and existing.is_tree else None
        new_oid = updated_tree(reader, writer, existing_oid, child_changes)
        entries[child.encode()] = TreeEntry("040000", child.encode(), new_oid)
    return writer.write(list(entries.values()))


def commit_tree(
    git: Git, tree: str, parents: Sequence[str], message: str, author: Author, when: datetime
) -> str:
    """Write a commit of `tree` on `parents`, by `author` (as author and committer) at `when`.

    The one place a commit is made: ticket actions, a new store's configuration and
    sync's merges all come here, so every pcsdesk commit is dated and signed alike.
    """
    stamp = f"{int(when.timestamp())} {when.strftime('%z')}"
    env = {
        "GIT_AUTHOR_NAME": author.name,
        "GIT_AUTHOR_EMAIL": author.email,
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_NAME": author.name,
        "GIT_COMMITTER_EMAIL": author.email,
    }
    flags = [flag for parent in parents for flag in ("-p", parent)]
    return git.run("commit-tree", tree, *flags, input=message.encode("utf-8"), env=env).decode().strip()
