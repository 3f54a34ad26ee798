"""A `notify` run: the commits since the last run, the messages they call for, sent in order.

The promise is at-least-once, and at most one commit's messages twice: each
commit's messages are sent, then `refs/pcsdesk/notified` moves past that commit
(compare-and-swap). A run killed between the two sends that commit's messages
again next time, under the same Message-IDs; nothing is lost. Exactly-once is
impossible over SMTP (the server may take a message and the connection drop
before it says so), so a stable Message-ID is the honest promise instead.

History that moves under notify (docs/notify.md):
- a merge from `sync` or a pull: each side's commits are walked one by one (the
  merge itself adds nothing), so each note is announced once, whichever clone made it;
- a commit made by hand (no trailers): judged from the ticket's difference;
- a rebase or reset that leaves the recorded commit off the branch: the commits
  walked are those the branch has and the recorded commit lacks, and every entry
  the ticket already held at the recorded commit was announced then, so only what
  is truly new is sent: never a flood of old messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from pcsdesk.desk import queries
from pcsdesk.desk.context import Context
from pcsdesk.errors import PcsdeskError
from pcsdesk.mail.render import Outgoing, render
from pcsdesk.mail.smtp import Mailer, MailServerError
from pcsdesk.rules.notifications import Notice, mail_address, overdue_notice
from pcsdesk.rules.ticket import Ticket
from pcsdesk.store import notified
from pcsdesk.store.store import Store


class MissingSender(PcsdeskError):
    def __init__(self) -> None:
        super().__init__(
            "buildings.yaml has no district.helpdesk_email: add the address notifications come from "
            "(e.g. helpdesk_email: helpdesk@pcschools.us) and commit it"
        )


@dataclass
class RunResult:
    """What a run did, for the command to report."""

    first_run: bool = False
    busy: bool = False             # another run held the lock; this one did nothing
    commits: int = 0               # commits walked
    sent: list[Outgoing] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # refused recipients, unreadable files

    @property
    def ok(self) -> bool:
        return not self.problems


# Where a test may stop the run for real (a kill at each step): called with the
# step's name and the commit. Production passes nothing.
Hook = Callable[[str, str], None]


class Outbox:
    """Sends (or, for --dry-run, hands to `show`) the messages a run calls for."""

    def __init__(self, mailer: Mailer | None, show: Callable[[Outgoing], None] | None = None) -> None:
        self.mailer = mailer
        self.show = show

    @property
    def dry_run(self) -> bool:
        return self.mailer is None

    def deliver(self, outgoing: Outgoing, result: RunResult, about: str) -> None:
        if self.mailer is None:
            if self.show is not None:
                self.show(outgoing)
            result.sent.append(outgoing)
            return
        refused = self.mailer.send(outgoing.message, outgoing.sender, outgoing.recipient)
        if refused is None:
            result.sent.append(outgoing)
        elif refused.permanent:
            result.problems.append(
                f"the mail server refused {outgoing.recipient} for {about} "
                f"({refused.code} {refused.reply}); that message is not sent"
            )
        else:
            # A temporary refusal: stop here, so the next run sends this commit again.
            raise MailServerError(
                f"the mail server deferred {outgoing.recipient} for {about} "
                f"({refused.code} {refused.reply}); the next run tries again"
            )


def run(store: Store, ctx: Context, outbox: Outbox, hook: Hook | None = None) -> RunResult:
    """One `notify` run: announce the commits since the recorded ones, then the overdue tickets."""
    result = RunResult()
    with mailing(store, ctx, outbox, result) as held:
        if not held:
            return result
        head = notified.resolve_commit(store, "HEAD")
        if head is None:
            return result   # an empty repository: nothing has happened yet
        recorded = notified.read_recorded(store)
        mover = notified.RefMover(store)
        try:
            if recorded is None:
                result.first_run = True
                if not outbox.dry_run:
                    mover.move(notified.NOTIFIED_REF, head, None)
            else:
                _announce_commits(store, ctx, outbox, mover, recorded, head, result, hook)
            _announce_overdue(store, ctx, outbox, mover, result, hook)
        finally:
            mover.close()
    return result


@contextmanager
def mailing(store: Store, ctx: Context, outbox: Outbox, result: RunResult) -> Iterator[bool]:
    """What every mailing run (the notices, the digest) starts and ends with.

    A sender to mail from (MissingSender otherwise); notify's lock, held for the run
    (False, and `result.busy`, when another run holds it; a dry run moves nothing, so
    it needs none and never waits); the mail server's connection closed at the end.
    """
    if not ctx.directory.helpdesk_email:
        raise MissingSender()
    with _exclusive(store, outbox.dry_run) as held:
        if not held:
            result.busy = True
            yield False
            return
        try:
            yield True
        finally:
            if outbox.mailer is not None:
                outbox.mailer.close()


@contextmanager
def _exclusive(store: Store, dry_run: bool) -> Iterator[bool]:
    if dry_run:
        yield True
        return
    with notified.notify_lock(store) as held:
        yield held


def _announce_commits(
    store: Store, ctx: Context, outbox: Outbox, mover: notified.RefMover,
    recorded: notified.Recorded, head: str, result: RunResult, hook: Hook | None,
) -> None:
    news = queries.changes_between(store, ctx, recorded.tips, head)
    result.commits = len(news)
    tips = set(recorded.tips)
    ref_value = recorded.oid
    for commit in news:
        sent_before = len(result.sent)
        result.problems.extend(commit.problems)
        for ticket in commit.tickets:
            about = f"{ticket.ticket_id} in commit {commit.commit[:12]}"
            for notice in ticket.notices:
                _deliver(ctx, outbox, notice, ticket.after, commit.commit,
                         commit.committed_at.astimezone(ctx.tz), result, about)
        tips.difference_update(commit.parents)
        tips.add(commit.commit)
        if len(result.sent) > sent_before and not outbox.dry_run:
            if hook is not None:
                hook("sent", commit.commit)
            new_value = notified.progress_commit(store, tuple(sorted(tips)))
            mover.move(notified.NOTIFIED_REF, new_value, ref_value)
            ref_value = new_value
            if hook is not None:
                hook("moved", commit.commit)
    if not outbox.dry_run and ref_value != head:
        mover.move(notified.NOTIFIED_REF, head, ref_value)


def _deliver(
    ctx: Context, outbox: Outbox, notice: Notice, ticket: Ticket, event: str,
    at: datetime, result: RunResult, about: str,
) -> None:
    directory = ctx.directory
    address = mail_address(notice.recipient, directory.email_domain)
    if address is None:
        result.problems.append(
            f"cannot mail {notice.recipient!r} about {about}: it is not an email address"
        )
        return
    notice = Notice(notice.kind, address, notice.entries, notice.first_response)
    outgoing = render(notice, ticket, queries.ticket_facts(ctx, ticket), directory, ctx.tz, event, at)
    outbox.deliver(outgoing, result, about)


def _announce_overdue(
    store: Store, ctx: Context, outbox: Outbox, mover: notified.RefMover, result: RunResult,
    hook: Hook | None,
) -> None:
    """Tell each requester, once, that the first response is late, and whom to contact.

    The first run records the tickets already overdue without telling anyone: the
    requesters of a helpdesk that has just switched notify on are not sent a flood.
    """
    told, told_oid = notified.read_overdue_told(store)
    now = ctx.now()
    overdue = queries.overdue_tickets(store, ctx, now)
    if told is None:
        if not outbox.dry_run:
            mover.move(notified.OVERDUE_REF, notified.overdue_commit(store, {t.id for t in overdue}), None)
        return
    for ticket in overdue:
        if ticket.id in told:
            continue
        about = f"{ticket.id} (first response overdue)"
        before = len(result.sent)
        _deliver(ctx, outbox, overdue_notice(ticket.requester), ticket, f"overdue.{ticket.id}",
                 now, result, about)
        if outbox.dry_run:
            continue
        if len(result.sent) > before and hook is not None:
            hook("sent", ticket.id)
        # Recorded even when the address was refused: the requester is told once or not at all.
        told = told | {ticket.id}
        new_oid = notified.overdue_commit(store, told)
        mover.move(notified.OVERDUE_REF, new_oid, told_oid)
        told_oid = new_oid
