"""`sync`: fetch the store's remote, merge (tickets by rules/merging), push; again if the remote moved.

How the merge is made, git-revise style: in a temporary index (`read-tree -m` of
the merge base and both heads), every file both sides changed merged in this
process (tickets by rules/merging, other files by `git merge-file`), the tree
written and committed with `commit-tree`, and the branch moved with a
compare-and-swap `update-ref`. Only then are the work tree and index brought to
the new commit (`read-tree -m -u`, which touches only the files that changed and
carries anything else the technician had staged forward, uncommitted). So:

- nothing the technician had staged or edited is swept into the merge commit;
- a conflict that cannot be resolved stops before anything moved: the clone and
  the remote are left exactly as they were, and no conflict marker is written;
- files the merge must change that have uncommitted changes here stop the sync
  (with their names) before anything moved. Other uncommitted work is left alone.
  A ticket file left behind by a pcsdesk command that was killed after its
  commit (the file or its index entry still at the version that commit
  replaced) is not a change: it is brought up to date, as the command would have.

pcsdesk writers in this clone wait while sync merges (the store's write lock);
the network (fetch, push) is used outside the lock. A push the remote rejects
because it moved meanwhile is retried after fetching and merging again.

The merge driver is (re)registered first, since git config is not cloned: a
plain `git pull` then merges tickets the same way.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pcsdesk.errors import InvalidInput, StoreBusy, StoreConflict
from pcsdesk.rules.ids import TICKETS_DIR
from pcsdesk.store.git import ACTION_TRAILER, GitFailed, commit_tree, trailers
from pcsdesk.store.merge import ensure_merge_driver, merge_ticket_bytes
from pcsdesk.store.store import Author, Store

# Each retry means another clone pushed between our fetch and our push.
MAX_ATTEMPTS = 5


@dataclass
class SyncResult:
    branch: str
    remote: str
    remote_branch: str
    received: int = 0                 # commits brought in from the remote
    sent: int = 0                     # commits the remote did not have (the merge included)
    merged: list[str] = field(default_factory=list)   # files both sides changed, merged here
    attempts: int = 0

    @property
    def upstream(self) -> str:
        return f"{self.remote}/{self.remote_branch.removeprefix('refs/heads/')}"


@dataclass(frozen=True)
class _Step:
    head: str
    received: int
    merged: list[str]


def sync(store: Store, author: Callable[[], Author], when: datetime) -> SyncResult:
    """Fetch, merge and push the store's branch; StoreConflict leaves everything as it was.

    `author` is asked only when a merge commit must be made: a cron job with no
    identity configured syncs a quiet day (fetch, fast-forward, push) silently.
    """
    store.refuse_during_merge()
    _remove_leftover_scratch()
    ensure_merge_driver(store)
    branch_ref = store.head().ref
    if not branch_ref.startswith("refs/heads/"):
        raise StoreConflict("HEAD is not on a branch; switch to the store's branch (git switch main) and sync again")
    branch = branch_ref.removeprefix("refs/heads/")
    remote, remote_ref = _upstream(store, branch)
    result = SyncResult(branch, remote, remote_ref)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result.attempts = attempt
        theirs = _fetch(store, remote, remote_ref)
        with store.write_lock():
            step = _integrate(store, branch_ref, theirs, author, when, result.upstream)
        result.received += step.received
        result.merged += [path for path in step.merged if path not in result.merged]
        if step.received:
            ensure_merge_driver(store, step.head)   # the remote may have changed .gitattributes
        if theirs == step.head:
            return result
        outgoing = _count(store, step.head, theirs)
        if _push(store, remote, branch_ref, remote_ref):
            result.sent += outgoing
            _remember_upstream(store, branch, remote, remote_ref)
            return result
        # Overtaken: another clone pushed, or was pushing at that very moment (the
        # remote's ref was locked). A growing pause lets that push finish first.
        if attempt < MAX_ATTEMPTS:
            time.sleep(0.1 * 2 ** attempt)
    raise StoreBusy(
        f"the remote {remote} kept moving: {MAX_ATTEMPTS} pushes were overtaken by other clones; "
        "everything is merged here, run `pcsdesk sync` again in a moment"
    )


# ---- the remote ----

def _config(store: Store, key: str) -> str:
    return store.git.config(key)


def _upstream(store: Store, branch: str) -> tuple[str, str]:
    """The remote and its branch: the branch's upstream, else origin (or the only remote)."""
    remote = _config(store, f"branch.{branch}.remote")
    merge = _config(store, f"branch.{branch}.merge")
    if remote and remote != ".":
        return remote, merge or f"refs/heads/{branch}"
    remotes = store.git.text("remote").split()
    if not remotes:
        raise InvalidInput(
            "this store has no remote to sync with; add the shared repository first: "
            "git remote add origin URL (then run pcsdesk sync)"
        )
    if "origin" in remotes:
        return "origin", f"refs/heads/{branch}"
    if len(remotes) == 1:
        return remotes[0], f"refs/heads/{branch}"
    raise InvalidInput(
        f"several remotes ({', '.join(remotes)}) and no upstream for {branch}; choose one: "
        f"git branch --set-upstream-to=REMOTE/{branch}"
    )


def _run(store: Store, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return store.git.attempt(*args, env=env)


def _last_line(stderr: bytes) -> str:
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no message"


def _fetch(store: Store, remote: str, remote_ref: str) -> str | None:
    """The remote branch's commit (kept in refs/remotes/REMOTE/BRANCH), None if it has none yet."""
    tracking = f"refs/remotes/{remote}/{remote_ref.removeprefix('refs/heads/')}"
    done = _run(store, "fetch", "--quiet", "--no-tags", "--end-of-options", remote, f"+{remote_ref}:{tracking}")
    if done.returncode != 0:
        if b"couldn't find remote ref" in done.stderr:
            return None
        raise StoreConflict(
            f"cannot reach the remote {remote} ({_remote_url(store, remote)}): {_why_unreachable(done.stderr)}; "
            "nothing was changed; your work is safe in this clone: sync again when the remote can be reached"
        )
    return store.git.text("rev-parse", "--verify", tracking)


# git's words for why a remote cannot be reached, and plain ones for a technician.
_UNREACHABLE = (
    ("could not resolve host", "the server's name cannot be found (offline, or a typo in the URL?)"),
    ("could not resolve hostname", "the server's name cannot be found (offline, or a typo in the URL?)"),
    ("connection refused", "the server refused the connection (is it running?)"),
    ("couldn't connect to server", "the server refused the connection (is it running?)"),
    ("connection timed out", "the server did not answer (offline, or a firewall?)"),
    ("operation timed out", "the server did not answer (offline, or a firewall?)"),
    ("network is unreachable", "there is no network connection"),
    ("no route to host", "the server cannot be reached from this network"),
    ("permission denied", "the server refused your credentials (check your SSH key or password)"),
    ("authentication failed", "the server refused your credentials (check your SSH key or password)"),
    ("repository not found", "there is no repository at that address (check the URL)"),
    ("does not appear to be a git repository", "there is no repository at that address (check the URL)"),
    ("does not exist", "there is no repository at that address (check the URL)"),
)


def _why_unreachable(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").lower()
    for words, plainly in _UNREACHABLE:
        if words in text:
            return plainly
    fatal = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()
             if line.strip().lower().startswith(("fatal:", "error:", "ssh:"))]
    return f"git said: {fatal[0] if fatal else _last_line(stderr)}"


def _remote_url(store: Store, remote: str) -> str:
    url = _config(store, f"remote.{remote}.url") or remote
    # A URL may carry a password (https://user:secret@host/...): never repeat it.
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest.split("/")[0]:
        rest = rest.split("@", 1)[1]
    return f"{scheme}{sep}{rest}"


def _push(store: Store, remote: str, branch_ref: str, remote_ref: str) -> bool:
    """True when pushed; False when the remote moved meanwhile (fetch, merge and push again)."""
    done = _run(store, "push", "--porcelain", "--end-of-options", remote, f"{branch_ref}:{remote_ref}")
    if done.returncode == 0:
        return True
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("!") and "[rejected]" in line and any(
            reason in line for reason in ("fetch first", "non-fast-forward", "stale info")
        ):
            return False
        if line.startswith("!") and "[remote rejected]" in line and any(
            reason in line for reason in ("failed to update ref", "cannot lock ref")
        ):
            return False   # another clone's push was updating the branch at that moment
        if line.startswith("!"):
            reason = line.split("\t")[-1]
            said = _server_reasons(done.stderr)
            if said:
                reason = "; ".join(said)
            raise StoreConflict(
                f"{remote} refused the push: {reason}; the merge is kept here, nothing was sent"
            )
    raise StoreConflict(
        f"cannot reach the remote {remote} ({_remote_url(store, remote)}) to send the changes: "
        f"{_why_unreachable(done.stderr)}; everything is kept in this clone: sync again when the "
        "remote can be reached"
    )


def _server_reasons(stderr: bytes) -> list[str]:
    """What the server's hook said (git prefixes each line with `remote: `), in its words.

    A server running `pcsdesk pre-receive` gives one line per reason; git itself
    only says "pre-receive hook declined", which tells the technician nothing.
    """
    reasons = []
    for line in stderr.decode("utf-8", "replace").splitlines():
        if line.startswith("remote: "):
            text = line.removeprefix("remote: ").replace("\x1b[K", "").strip()
            if text:
                reasons.append(text)
    return reasons


def _remember_upstream(store: Store, branch: str, remote: str, remote_ref: str) -> None:
    """After the first sync a plain `git pull` in this clone talks to the same remote branch."""
    if not _config(store, f"branch.{branch}.remote"):
        store.git.run("config", f"branch.{branch}.remote", remote)
        store.git.run("config", f"branch.{branch}.merge", remote_ref)


def _count(store: Store, head: str, theirs: str | None) -> int:
    spec = [head] if theirs is None else [head, f"^{theirs}"]
    return int(store.git.text("rev-list", "--count", *spec, "--"))


def _is_ancestor(store: Store, older: str, newer: str) -> bool:
    return store.git.ok("merge-base", "--is-ancestor", older, newer)


# ---- merging ----

def _integrate(
    store: Store, branch_ref: str, theirs: str | None, author: Callable[[], Author], when: datetime,
    upstream: str,
) -> _Step:
    """Bring `theirs` into the branch (fast-forward or merge commit); returns the branch's new head."""
    head = store.git.text("rev-parse", "--verify", branch_ref)
    _finish_interrupted(store, branch_ref, head)
    if theirs is None or theirs == head or _is_ancestor(store, theirs, head):
        return _Step(head, 0, [])
    received = _count(store, theirs, head)
    merged: list[str] = []
    if _is_ancestor(store, head, theirs):
        target = theirs
    else:
        bases = store.git.run("merge-base", "--all", head, theirs, check=False).decode().split()
        if not bases:
            raise StoreConflict(f"{upstream} shares no history with this store; nothing was changed")
        if len(bases) == 1:
            tree, merged = _merge_trees(store, bases[0], head, theirs, upstream)
        else:
            tree = _merge_with_git(store, head, theirs)
        target = _merge_commit(store, tree, head, theirs, merged, author(), when, upstream, branch_ref)
    _prepare_work_tree(store, head, target)
    # The journal lets the next pcsdesk command (any) bring the files to the merge if
    # this one is killed after moving the branch (see Store._publish).
    store.journal_tree_move(branch_ref, head, target)
    if not store.git.ok("update-ref", "-m", f"pcsdesk sync: merge {upstream}", branch_ref, target, head):
        store.journal_done()
        raise StoreConflict(
            "the branch moved while sync was merging (a git command at the same moment?); "
            "nothing was changed: run pcsdesk sync again"
        )
    try:
        _update_work_tree(store, head, target)
    finally:
        store.journal_done()   # done, or said what to do: a killed sync alone leaves its journal
    return _Step(target, received, merged)


def _is_ticket(path: str) -> bool:
    return path.startswith(f"{TICKETS_DIR}/") and path.endswith(".yaml")


_SCRATCH_PREFIX = "pcsdesk-sync-"


def _remove_leftover_scratch() -> None:
    """Remove the scratch folders of syncs that were killed (their process is gone).

    Each folder's name carries its process id; folders of this user whose process
    no longer runs (or, in the older unnamed form, untouched for an hour) go.
    """
    import shutil

    top = Path(tempfile.gettempdir())
    try:
        candidates = list(top.glob(f"{_SCRATCH_PREFIX}*"))
    except OSError:
        return
    for folder in candidates:
        try:
            info = folder.lstat()
            if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid():
                continue
            owner = folder.name[len(_SCRATCH_PREFIX):].split("-")[0]
            if owner.isdigit():
                if _running(int(owner)):
                    continue
            elif time.time() - info.st_mtime < 3600:
                continue
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _merge_trees(store: Store, base: str, ours: str, theirs: str, upstream: str) -> tuple[str, list[str]]:
    """The merged tree, built in a temporary index; StoreConflict naming every file that cannot merge."""
    with tempfile.TemporaryDirectory(prefix=f"{_SCRATCH_PREFIX}{os.getpid()}-") as scratch:
        env = {"GIT_INDEX_FILE": os.path.join(scratch, "index")}
        store.git.run("read-tree", "-i", "-m", "--aggressive", base, ours, theirs, env=env)
        stages: dict[str, dict[int, tuple[str, str]]] = {}
        for entry in store.git.run("ls-files", "-u", "-z", env=env).split(b"\0"):
            if entry:
                meta, _, name = entry.partition(b"\t")
                mode, oid, stage = meta.decode().split()
                stages.setdefault(name.decode("utf-8", "surrogateescape"), {})[int(stage)] = (mode, oid)
        if not stages:
            return store.git.run("write-tree", env=env).decode().strip(), []
        oids = sorted({oid for versions in stages.values() for _, oid in versions.values()})
        blobs = dict(zip(oids, store.reader.blobs(oids), strict=True))
        problems: list[str] = []
        resolved: dict[str, tuple[str, bytes]] = {}
        for path, versions in sorted(stages.items()):
            if 2 not in versions or 3 not in versions:
                problems.append(f"{path}: deleted on one side and changed on the other")
                continue
            modes = {mode for mode, _ in versions.values()}
            if len(modes) != 1 or modes - {"100644", "100755"}:
                problems.append(f"{path}: not a plain file on both sides (or its mode changed)")
                continue
            base_bytes = blobs[versions[1][1]] if 1 in versions else None
            ours_bytes, theirs_bytes = blobs[versions[2][1]], blobs[versions[3][1]]
            assert ours_bytes is not None and theirs_bytes is not None
            try:
                if _is_ticket(path):
                    content = merge_ticket_bytes(store, base_bytes, ours_bytes, theirs_bytes, path)
                else:
                    content = _merge_text(store, scratch, base_bytes, ours_bytes, theirs_bytes, path)
            except StoreConflict as e:
                problems.append(str(e))
                continue
            resolved[path] = (versions[2][0], content)
        if problems:
            raise StoreConflict(
                "sync stopped, nothing was changed here or on the remote: changes made here and "
                f"on {upstream} cannot be merged safely: " + "; ".join(problems)
                + ". Settle it with the other technician, or merge by hand (git pull) and run "
                "pcsdesk check"
            )
        oids = _hash_all(store, scratch, [content for _, content in resolved.values()])
        lines = [f"{mode} {oid}\t{path}\n" for (path, (mode, _)), oid in zip(resolved.items(), oids, strict=True)]
        store.git.run("update-index", "--index-info", input="".join(lines).encode(), env=env)
        return store.git.run("write-tree", env=env).decode().strip(), sorted(p for p in resolved if _is_ticket(p))


def _hash_all(store: Store, scratch: str, contents: list[bytes]) -> list[str]:
    """Store the merged files as blobs with one git process, not one per file."""
    names = []
    for number, content in enumerate(contents):
        name = os.path.join(scratch, f"merged-{number}")
        Path(name).write_bytes(content)
        names.append(name)
    listing = "".join(f"{name}\n" for name in names).encode()
    out = store.git.run("hash-object", "-w", "--no-filters", "--stdin-paths", input=listing)
    return out.decode().split()


def _merge_text(store: Store, scratch: str, base: bytes | None, ours: bytes, theirs: bytes, path: str) -> bytes:
    """A file other than a ticket (buildings.yaml...) merged by lines, only when git finds no conflict."""
    files = []
    for name, content in (("ours", ours), ("base", base or b""), ("theirs", theirs)):
        target = Path(scratch, name)
        target.write_bytes(content)
        files.append(str(target))
    done = _run(store, "merge-file", "-p", "-q", *files)
    if done.returncode != 0:
        raise StoreConflict(f"{path}: changed on both sides in the same place")
    return done.stdout


def _merge_with_git(store: Store, ours: str, theirs: str) -> str:
    """Histories with several merge bases (clones merged each other directly): git's own merge.

    `git merge-tree --write-tree` (git 2.38+) runs the ticket driver registered in
    this clone for the ticket files, and writes no file.
    """
    done = _run(store, "merge-tree", "--write-tree", "--no-messages", ours, theirs)
    if done.returncode == 0:
        return done.stdout.decode().split()[0]
    detail = done.stderr.decode("utf-8", "replace").strip() or _last_line(done.stdout)
    raise StoreConflict(
        "sync stopped: the histories cannot be merged here safely (" + " ".join(detail.split()) + "); "
        "nothing was changed; merge by hand (git pull) and run pcsdesk check"
    )


def _merge_commit(
    store: Store, tree: str, head: str, theirs: str, merged: list[str], author: Author,
    when: datetime, upstream: str, branch_ref: str,
) -> str:
    branch = branch_ref.removeprefix("refs/heads/")
    body = ""
    if merged:
        body = (f"\n\n{len(merged)} ticket(s) changed on both sides, merged by pcsdesk "
                "(notes by time, fields from the log):\n" + "".join(f"- {p}\n" for p in merged))
    message = f"Sync: merge {upstream} into {branch}{body}\n\n{trailers('sync')}"
    return commit_tree(store.git, tree, [head, theirs], message, author, when)


# ---- the work tree ----

def _status(store: Store) -> dict[str, str]:
    """`git status` of every changed or untracked file: path -> XY."""
    raw = store.git.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames")
    entries = {}
    for entry in raw.split(b"\0"):
        if len(entry) > 3:
            entries[entry[3:].decode("utf-8", "surrogateescape")] = entry[:2].decode()
    return entries


def _prepare_work_tree(store: Store, head: str, target: str) -> None:
    """Refuse when files the update changes hold uncommitted work; repair a killed command's leftovers."""
    changed = set(
        store.git.run("diff-tree", "-r", "-z", "--name-only", "--no-renames", head, target)
        .decode("utf-8", "surrogateescape").split("\0")
    ) - {""}
    dirty = {path: xy for path, xy in _status(store).items() if path in changed}
    blocked = []
    for path, xy in sorted(dirty.items()):
        if xy != "??" and _is_ticket(path) and _repair_leftover(store, head, path):
            continue
        blocked.append(f"{path} ({'untracked' if xy == '??' else 'not committed'})")
    if blocked:
        raise StoreConflict(
            "sync would change files that hold uncommitted changes here: " + ", ".join(blocked)
            + "; commit them (git commit PATH) or put them aside (git stash), then run "
            "pcsdesk sync again (nothing was changed)"
        )


def _repair_leftover(store: Store, head: str, path: str) -> bool:
    """Restore a ticket file a killed pcsdesk command left at the version its commit replaced.

    Recognised only when the index still holds that replaced version, the work
    tree holds it or the committed one, and the commit that replaced it was made
    by pcsdesk: a technician's own edit matches none of that.
    """
    last = store.git.text("rev-list", "-1", head, "--", path)
    if not last:
        return False
    trailer = store.git.text("log", "-1", f"--format=%(trailers:key={ACTION_TRAILER},valueonly)", last, "--")
    if not trailer:
        return False
    replaced = store.git.run("rev-parse", "--verify", "-q", f"{last}^1:{path}", check=False).decode().strip()
    committed = store.git.text("rev-parse", "--verify", f"{head}:{path}")
    staged = store.git.text("ls-files", "-s", "--", path).split()
    if not replaced or len(staged) < 2 or staged[1] != replaced:
        return False
    on_disk = store.git.text("hash-object", "--", path) if (store.root / path).exists() else ""
    if on_disk not in (replaced, committed):
        return False
    store.git.run("checkout", head, "--", path, env={"GIT_LITERAL_PATHSPECS": "1"})
    return True


def _finish_interrupted(store: Store, branch_ref: str, head: str) -> None:
    """Bring the files up to date after a sync that was killed between moving the branch and them.

    Recognised by the branch's reflog: its last move was a sync's, and the index
    still holds the tree the branch moved from.
    """
    moved = store.git.run("log", "-g", "-1", "--format=%gs", branch_ref, "--", check=False).decode().strip()
    if not moved.startswith("pcsdesk sync:"):
        return
    before = store.git.run("rev-parse", "--verify", "-q", f"{branch_ref}@{{1}}", check=False).decode().strip()
    if before and before != head and store.git.ok("diff-index", "--cached", "--quiet", before, "--"):
        _update_work_tree(store, before, head)


def _update_work_tree(store: Store, head: str, target: str) -> None:
    """The index and files moved from `head` to `target`; other staged work is carried forward."""
    try:
        store.move_work_tree(head, target)
    except GitFailed as e:
        raise StoreConflict(
            f"the branch now holds the merge but the files here could not be updated ({e}); "
            "run `git status` and `git checkout HEAD -- tickets` to bring them up to date"
        ) from e
