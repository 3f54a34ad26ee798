"""`pcsdesk new`: enter a ticket, auto-assigned, committed; interactive on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import click

from pcsdesk.commands._common import Session, building_option, json_option, read_stdin, session
from pcsdesk.desk.actions import (
    NewTicket,
    check_category,
    check_description,
    check_requester,
    check_summary,
    create_ticket,
)
from pcsdesk.errors import PcsdeskError
from pcsdesk.rules.routing import building_of, emergency_contacts
from pcsdesk.rules.ticket import CHECKS, OTHERS_AFFECTED

T = TypeVar("T")

_CHECKS_HELP = "\n".join(f"  {key:<10} {check.made}" for key, check in CHECKS.items())
_HELP = f"""Enter a ticket; it is assigned to the building ETS or the category's team.

The first line printed holds the new ticket's ID. Run without options on a
terminal to be asked for each field and walked through the checklist.

\b
The procedure's pre-checks, for --checked (one per check the requester made):
{_CHECKS_HELP}

\b
Example:
  pcsdesk new --building PCHS --category av \\
    --summary "Projector in room 204 shows no signal" \\
    --description "Laptop shows the desktop; projector says No Input." \\
    --checked cables --checked restart --others-affected no
"""


@click.command("new", help=_HELP)
@building_option(help="Building code from buildings.yaml, e.g. PCHS.")
@click.option("--summary", metavar="TEXT", help="A few words: what is wrong.")
@click.option("--description", metavar="TEXT",
              help="Every detail that helps (`-` reads standard input).")
@click.option("--category", metavar="C", help="A category from buildings.yaml, e.g. network.")
@click.option("--requester", metavar="EMAIL",
              help="Who needs help (one email address), when entering on a co-worker's behalf.")
@click.option("--emergency", is_flag=True,
              help="A true emergency: recorded, and the phone path printed.")
@click.option("--checked", "checked", multiple=True, metavar="CHECK",
              type=click.Choice(list(CHECKS)),
              help=f"A pre-check the requester made (repeatable): {', '.join(CHECKS)}.")
@click.option("--others-affected", "others_affected", type=click.Choice(list(OTHERS_AFFECTED)),
              default="unknown", show_default=True,
              help="Are others having the same issue? (yes counts as a sign of an outage)")
@json_option
def new(
    building: str | None,
    summary: str | None,
    description: str | None,
    category: str | None,
    requester: str | None,
    emergency: bool,
    checked: tuple[str, ...],
    others_affected: str,
    as_json: bool,
) -> None:
    current = session()
    interactive = building is None and summary is None and sys.stdin.isatty()
    if interactive:
        actor_email = current.actor_email()   # who is acting, before a single question
        request = _ask(current, actor_email)
    else:
        if description == "-":
            description = read_stdin("description")
        if building is None:
            codes = ", ".join(current.store.directory.buildings)
            raise click.UsageError(f"--building is required; known: {codes}")
        request = NewTicket(
            building=building,
            summary=summary or "",
            description=description or "",
            category=category,
            requester=requester,
            emergency=emergency,
            checklist={name: True for name in checked},
            others_affected=OTHERS_AFFECTED[others_affected],
        )
    store = current.store
    ticket = create_ticket(store, current.actor(), request)
    if as_json:
        from pcsdesk.commands._render import print_json
        from pcsdesk.desk.queries import view_of
        from pcsdesk.desk.shapes import ticket_json

        ctx = current.context()
        print_json(ticket_json(view_of(ctx, ticket), ctx.tz, judged=False))
    else:
        who = store.directory.describe(ticket.assignee)
        click.echo(f"{ticket.id} entered and assigned to {who}")
    if ticket.is_emergency:
        # The procedure's phone path; with --json on stderr, so the JSON stays parseable.
        click.echo("EMERGENCY: the ticket is recorded. Now phone:", err=as_json)
        building_entry = building_of(store.directory, ticket.building)
        for line in emergency_contacts(store.directory, building_entry, caller=ticket.entered_by):
            click.echo(f"  {line}", err=as_json)


def _checked(check: Callable[[str], T]) -> Callable[[str], T]:
    """A field's check as a prompt's value_proc: a refused answer is said, and asked again."""

    def proc(text: str) -> T:
        try:
            return check(text)
        except PcsdeskError as e:
            raise click.UsageError(str(e)) from e

    return proc


def _ask(current: Session, actor_email: str) -> NewTicket:
    """The interactive form: the checklist, then each field, each answer checked as it is given."""
    store = current.store
    directory = store.directory
    click.echo("Before entering a ticket, the procedure asks you to check a few things:")
    made: dict[str, bool] = {}
    others_affected: bool | None = None
    for key, check in CHECKS.items():
        made[key] = click.confirm(f"  {check.question}", default=False)
        if key == "others" and made[key]:
            others_affected = click.confirm("    Are they?", default=False)
    click.echo(
        "\nOne issue per ticket, please, with as many details as you can.\n"
        "Never type a password (yours or a student's) into a ticket.\n"
        "A true emergency (network, power or phone outage)? Enter it, then phone your building ETS."
    )
    codes = list(directory.buildings)
    building = building_of(directory, click.prompt(
        "Building", type=click.Choice(codes, case_sensitive=False)
    )).code

    taken = [name for name, entry in directory.categories.items() if not entry.out_of_scope]
    click.echo(f"Categories: {', '.join(taken)}")
    for name, entry in directory.categories.items():
        if entry.out_of_scope:
            click.echo(f"  Not for the helpdesk ({name}): {entry.out_of_scope}")

    def category_answer(text: str) -> str | None:
        return check_category(directory, building, text)[0]

    category = click.prompt("Category (Enter for none)", default="", show_default=False,
                            value_proc=_checked(category_answer))
    summary = click.prompt("Summary (a few words)", value_proc=_checked(check_summary))
    description = _ask_description()
    requester = click.prompt(
        "Requester's email (Enter if it is you)", default="", show_default=False,
        value_proc=_checked(lambda text: check_requester(text, actor_email)),
    )
    emergency = click.confirm("Is this a true emergency?", default=False)
    return NewTicket(
        building=building,
        summary=summary,
        description=description,
        category=category,
        requester=requester,
        emergency=emergency,
        checklist=made,
        others_affected=others_affected,
    )


def _ask_description() -> str:
    """Several lines, ended by an empty line; asked again whole if refused (a password)."""
    click.echo("Description: every detail that helps, on as many lines as you need; "
               "an empty line ends it.")
    while True:
        lines: list[str] = []
        while True:
            line = click.prompt("  |", prompt_suffix=" ", default="", show_default=False)
            if not line.strip():
                break
            lines.append(line)
        try:
            return check_description("\n".join(lines))
        except PcsdeskError as e:
            click.echo(f"Error: {e}", err=True)
            click.echo("Type the description again:")
