"""`pcsdesk new`: enter a ticket, auto-assigned, committed; interactive on a terminal."""

from __future__ import annotations

import sys

import click

from pcsdesk.commands._common import building_option, json_option, read_stdin, session
from pcsdesk.desk.actions import NewTicket, create_ticket
from pcsdesk.rules.routing import building_of, emergency_contacts
from pcsdesk.rules.ticket import CHECKLIST


@click.command("new")
@building_option(help="Building code from buildings.yaml, e.g. PCHS.")
@click.option("--summary", metavar="TEXT", help="A few words: what is wrong.")
@click.option("--description", metavar="TEXT",
              help="Every detail that helps (`-` reads standard input).")
@click.option("--category", metavar="C", help="A category from buildings.yaml, e.g. network.")
@click.option("--requester", metavar="WHO",
              help="Who needs help, when entering a ticket on a co-worker's behalf.")
@click.option("--emergency", is_flag=True,
              help="A true emergency: recorded, and the phone path printed.")
@click.option("--checked", "checked", multiple=True, metavar="CHECK",
              type=click.Choice(list(CHECKLIST)),
              help="A pre-check the requester already made (repeatable).")
@json_option
def new(
    building: str | None,
    summary: str | None,
    description: str | None,
    category: str | None,
    requester: str | None,
    emergency: bool,
    checked: tuple[str, ...],
    as_json: bool,
) -> None:
    """Enter a ticket; it is assigned to the building ETS or the category's team.

    The first line printed holds the new ticket's ID. Run without options on a
    terminal to be asked for each field and walked through the checklist.

    \b
    Example:
      pcsdesk new --building PCHS --category av \\
        --summary "Projector in room 204 shows no signal" \\
        --description "Laptop shows the desktop; projector says No Input."
    """
    current = session()
    interactive = building is None and summary is None and sys.stdin.isatty()
    if interactive:
        request = _ask(current.store)
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
        for line in emergency_contacts(store.directory, building_of(store.directory, ticket.building)):
            click.echo(f"  {line}", err=as_json)


def _ask(store: object) -> NewTicket:
    """The interactive form: the procedure's checklist first, then each field."""
    from pcsdesk.store.store import Store

    assert isinstance(store, Store)
    directory = store.directory
    click.echo("Before entering a ticket, the procedure asks you to check:")
    checklist: dict[str, bool] = {}
    for key, question in CHECKLIST.items():
        checklist[key] = click.confirm(f"  {question}", default=False)
    click.echo(
        "\nOne issue per ticket, please, with as many details as you can.\n"
        "Never type a password (yours or a student's) into a ticket.\n"
        "A true emergency (network, power or phone outage)? Enter it, then phone your building ETS."
    )
    codes = list(directory.buildings)
    building = click.prompt("Building", type=click.Choice(codes, case_sensitive=False))
    categories = [name for name in directory.categories]
    category = click.prompt(
        "Category (Enter for none)", default="", show_default=False,
        type=click.Choice(["", *categories], case_sensitive=False), show_choices=True,
    )
    summary = click.prompt("Summary (a few words)")
    description = click.prompt("Description (details; Enter to skip)", default="", show_default=False)
    requester = click.prompt("Requester (Enter if it is you)", default="", show_default=False)
    emergency = click.confirm("Is this a true emergency?", default=False)
    return NewTicket(
        building=building,
        summary=summary,
        description=description,
        category=category or None,
        requester=requester or None,
        emergency=emergency,
        checklist=checklist,
    )
