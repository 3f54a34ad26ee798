"""Files in the store's work tree, read and written without following a symbolic link anywhere on the path.

A folder link committed under tickets/ (`tickets/2612 -> ../../outside`) made
`new` write a December ticket outside the repository. Each component of a path
is opened relative to the folder before it with O_NOFOLLOW, so a link is met
as a link, whichever component it is and whenever it appeared, and refused.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from pcsdesk.errors import StoreConflict

_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class LinkInStore(StoreConflict):
    """A symbolic link (or a file where a folder should be) on the path of a file pcsdesk reads or writes."""

    def __init__(self, path: str, what: str = "a symbolic link") -> None:
        self.path = path
        super().__init__(
            f"{path} is {what}; pcsdesk never reads or writes through links in the store: remove it "
            f"(git rm {path} and commit, or rm {path} if it is not committed) and try again; nothing was changed"
        )


def _why_not_followed(name: str, folder: int, shown: str) -> LinkInStore:
    try:
        mode = os.lstat(name, dir_fd=folder).st_mode
    except OSError:
        mode = 0
    return LinkInStore(shown, "a symbolic link" if stat.S_ISLNK(mode) else "not a folder")


def _open_folder(root: Path, parts: list[str], create: bool) -> int:
    """A descriptor of the folder root/parts..., each step taken without following a link.

    FileNotFoundError when a folder is missing and `create` is false.
    """
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for number, part in enumerate(parts):
            try:
                child = os.open(part, _FOLDER_FLAGS, dir_fd=folder)
            except FileNotFoundError:
                if not create:
                    raise
                try:
                    os.mkdir(part, dir_fd=folder)
                except FileExistsError:
                    pass   # made meanwhile by another writer: opened just below
                child = os.open(part, _FOLDER_FLAGS, dir_fd=folder)
            except OSError as e:
                if e.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise _why_not_followed(part, folder, "/".join(parts[: number + 1])) from None
                raise
            os.close(folder)
            folder = child
        return folder
    except BaseException:
        os.close(folder)
        raise


def read_file(root: Path, path: str) -> bytes | None:
    """The file at `path` (relative, /-separated) under `root`, None when it does not exist."""
    parts = path.split("/")
    try:
        folder = _open_folder(root, parts[:-1], create=False)
    except FileNotFoundError:
        return None
    try:
        try:
            handle = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder)
        except FileNotFoundError:
            return None
        except OSError as e:
            if e.errno == errno.ELOOP:
                raise _why_not_followed(parts[-1], folder, path) from None
            raise
    finally:
        os.close(folder)
    with os.fdopen(handle, "rb") as file:
        return file.read()


def scratch_name(name: str, pid: int) -> str:
    """The temporary file a write goes through, beside its target (a killed writer may leave it)."""
    return f".{name}.{pid}.tmp"


def write_file(root: Path, path: str, content: bytes) -> None:
    """Replace the file at `path` under `root` atomically, making its folders; never through a link."""
    parts = path.split("/")
    folder = _open_folder(root, parts[:-1], create=True)
    try:
        temporary = scratch_name(parts[-1], os.getpid())
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC,
                         0o666, dir_fd=folder)
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        # rename() replaces a link at the target itself, never what it points to.
        os.replace(temporary, parts[-1], src_dir_fd=folder, dst_dir_fd=folder)
    finally:
        os.close(folder)


def remove_file(root: Path, path: str, name: str | None = None) -> None:
    """Remove the file at `path` (or `name` in its folder) if it is there; never through a link."""
    parts = path.split("/")
    try:
        folder = _open_folder(root, parts[:-1], create=False)
    except FileNotFoundError:
        return
    try:
        os.unlink(name or parts[-1], dir_fd=folder)
    except FileNotFoundError:
        pass
    finally:
        os.close(folder)
