"""What the commands share: the session (store, actor, clock), shared options, text input."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pcsdesk.errors import InvalidInput
from pcsdesk.rules.clock import parse_instant
from pcsdesk.rules.directory import Directory
from pcsdesk.rules.ids import normalize_ticket_id
from pcsdesk.rules.people import identity
from pcsdesk.store.store import Store, find_store_root

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    # desk (and the password rule it loads) is imported by the write commands only.
    from pcsdesk.desk.actions import Actor
    from pcsdesk.desk.context import Context
    from pcsdesk.store.git import Git

F = TypeVar("F", bound=Callable[..., Any])


class Session:
    """Resolves the store, the actor and the time once per invocation, only when asked."""

    def __init__(self, store_option: str | None, as_option: str | None) -> None:
        self.store_option = store_option
        self.as_option = as_option
        self._store: Store | None = None
        self._context: Context | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            explicit = self.store_option or os.environ.get("PCSDESK_STORE") or None
            self._store = Store(find_store_root(explicit, Path.cwd()))
            self._store.start_git()
            self._store.ensure_merge_driver()
        return self._store

    def now(self, tz: tzinfo | None = None) -> datetime:
        tz = tz or self.store.calendar.tz
        fixed = os.environ.get("PCSDESK_NOW")
        if fixed:
            return parse_instant(fixed, tz, "$PCSDESK_NOW")
        return datetime.now(tz).replace(microsecond=0)

    def actor_email(self, git: Git | None = None) -> str:
        """Who acts: one email address, from --as, else $PCSDESK_USER, else git config user.email.

        `git`: where to ask git config, when not the store (init, before the store exists).
        """
        if self.as_option is not None:
            who, source = self.as_option, "--as"
        elif os.environ.get("PCSDESK_USER"):
            who, source = os.environ["PCSDESK_USER"], "$PCSDESK_USER"
        else:
            who = (git or self.store.git).run("config", "user.email", check=False).decode().strip()
            source = "git config user.email"
        if not who.strip():
            raise InvalidInput(
                "who is acting? pass --as EMAIL, set PCSDESK_USER, or set git config user.email"
            )
        from pcsdesk.rules.texts import ensure_utf8

        ensure_utf8(who, f"acting user ({source})")
        return identity(who, f"the acting identity ({source})")

    def context(self) -> Context:
        """The calendar, directory, clock ($PCSDESK_NOW or the system's) and actor, for the core."""
        if self._context is None:
            from pcsdesk.desk.context import Context

            self._context = Context.of_store(
                self.store, clock=lambda tz: self.now(tz), actor=self.actor_email, progress=_progress_bar
            )
        return self._context

    def actor(self) -> Actor:
        from pcsdesk.desk.actions import Actor

        return Actor(email=self.actor_email(), now=self.now(), context=self.context())

    def loaded_directory(self) -> Directory | None:
        """buildings.yaml if this invocation already read it; never reads it (used on failure)."""
        return self._store.loaded_directory if self._store is not None else None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _progress_bar(total: int) -> Any:
    # The renderer (and json with it) is imported only when an index is read.
    from pcsdesk.commands._render import ProgressBar

    return ProgressBar(total)


def session() -> Session:
    return click.get_current_context().find_object(Session)  # type: ignore[return-value]


# Uncommitted files named in the notice, at most; the rest are counted.
_NOTICE_FILES = 4


def reads_from_head(func: F) -> F:
    """For read commands: they answer from HEAD, and say so on stderr when the work tree differs.

    git is asked at the start, in parallel with the command's own work; the notice
    comes after the answer (also after the names of unreadable files or a broken
    calendar.yaml, where an uncommitted fix is the likely story).
    """
    import functools

    from pcsdesk.errors import BrokenTicket, ConfigError

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        current = session()
        current.store.start_status()
        try:
            result = func(*args, **kwargs)
        except (BrokenTicket, ConfigError):
            _notice_uncommitted(current.store)
            raise
        _notice_uncommitted(current.store)
        return result

    return wrapper  # type: ignore[return-value]


def _notice_uncommitted(store: Store) -> None:
    paths = store.uncommitted()
    if not paths:
        return
    named = ", ".join(paths[:_NOTICE_FILES])
    if len(paths) > _NOTICE_FILES:
        named += f" and {len(paths) - _NOTICE_FILES} more"
    click.echo(f"Note: answered from the last commit (HEAD); not committed here: {named}", err=True)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


def wide_option(func: F) -> F:
    """Tables fit the terminal ($COLUMNS, else 80 columns); --wide shows every field in full."""
    return click.option("--wide", is_flag=True,
                        help="Show every column in full, however wide (tables otherwise fit "
                             "the terminal, or $COLUMNS, or 80 columns).")(func)


def _complete_building(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    return _complete(
        ctx, lambda store: {code: b.name for code, b in store.directory.buildings.items()}, incomplete
    )


def _complete_staff(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    return _complete(
        ctx, lambda store: {email: m.name for email, m in store.directory.staff.items()}, incomplete
    )


def _complete_ticket(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    def ids(store: Store) -> dict[str, str]:
        from pcsdesk.desk.queries import ticket_ids

        # No progress bar: it would be drawn into the user's prompt.
        return dict.fromkeys(ticket_ids(store, prefix=incomplete), "")

    return _complete(ctx, ids, incomplete)


def _complete(
    ctx: click.Context, get: Callable[[Store], dict[str, str]], incomplete: str
) -> list[CompletionItem]:
    """The values starting with `incomplete`, each with its description (zsh and fish show it)."""
    from click.shell_completion import CompletionItem

    # Completion must never print a traceback into the user's prompt.
    try:
        root = ctx.find_root()
        store_path = root.params.get("store_path")
        store = Store(find_store_root(store_path or os.environ.get("PCSDESK_STORE"), Path.cwd()))
        try:
            values = get(store)
        finally:
            store.close()
    except Exception:
        return []
    return [CompletionItem(value, help=values[value] or None) for value in sorted(values)
            if value.lower().startswith(incomplete.lower())]


def building_option(required: bool = False, help: str = "Building code from buildings.yaml.") -> Callable[[F], F]:
    return click.option(
        "--building", "building", required=required, metavar="CODE", help=help,
        shell_complete=_complete_building,
    )


def staff_option(
    name: str = "--to", help: str = "A technology staff member's email.", required: bool = True
) -> Callable[[F], F]:
    return click.option(name, "to", required=required, metavar="WHO", help=help,
                        shell_complete=_complete_staff)


def ticket_id_argument(func: F) -> F:
    return click.argument("ticket_id", metavar="ID", shell_complete=_complete_ticket)(func)


def canonical_id(text: str) -> str:
    return normalize_ticket_id(text)


def message_option(required_text: str = "TEXT") -> Callable[[F], F]:
    return click.option(
        "-m", "--message", "message", metavar=required_text,
        help="The text; `-m -` reads standard input; left out on a terminal, $EDITOR opens.",
    )


def read_stdin(what: str) -> str:
    """Standard input as text: bytes that are not UTF-8 are the user's to fix, not a crash."""
    # sys.stdin.buffer, not click.get_binary_stream: Click 8.5 deprecates that helper,
    # and click's test runner gives sys.stdin a buffer too.
    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InvalidInput(
            f"the {what} on standard input is not UTF-8 text (byte {e.start + 1}); "
            "save it as UTF-8 and try again"
        ) from e
    # As a text stream would: Windows and old Mac line ends become plain newlines.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(
    message: str | None, what: str, context: str | Callable[[], str] = "", required: bool = True
) -> str:
    """The text of -m: as given, from stdin for `-`, or from $EDITOR on a terminal.

    `context` (shown commented out below the text) may be a function, so the ticket
    is rendered only when an editor actually opens.
    """
    if message == "-":
        return read_stdin(what)
    if message is not None:
        return message
    if not required:
        return ""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InvalidInput(f"{what} is required: pass -m TEXT (or -m - to read standard input)")
    marker = "# Everything below this line is ignored."
    shown = context() if callable(context) else context
    template = f"\n{marker}\n# Write the {what} above. An empty {what} cancels.\n{shown}"
    try:
        edited = click.edit(template, require_save=True)
    except UnicodeDecodeError as e:
        raise InvalidInput(
            f"the {what} the editor saved is not UTF-8 text (byte {e.start + 1}); set the editor to "
            "save UTF-8 and try again; nothing was changed"
        ) from e
    if edited is None:
        raise InvalidInput(f"no {what} written; nothing was changed")
    text = edited.split(marker, 1)[0].strip()
    if not text:
        raise InvalidInput(f"the {what} is empty; nothing was changed")
    return text
