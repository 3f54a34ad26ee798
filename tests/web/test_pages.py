"""The pages in a real browser (Debian's chromium via playwright) against a real `pcsdesk serve`.

What the procedure asks of people who do not use a shell: enter a ticket with the
checklist, follow it, add notes, close and reopen it; and what staff do from the
ticket page. Every change is checked in the store's git history as well.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from live import LiveServer, hermetic_env, make_store
from playwright.sync_api import Page, expect
from support import ETS, MONDAY_10, NETOPS, TEACHER, TECH, git

COWORKER = "mjones@pcschools.us"
PROCEDURE_CHECKS = [
    "All cords and cables are securely plugged in",
    "There is electricity to the power outlet",
    "I asked whether others are having the same issue",
    "I logged out and logged back in",
    "I shut down and restarted my computer",
    "I tried connecting to various sites on the Internet",
    "I checked whether the batteries need charging",
]


def show(store: Path, ticket_id: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-m", "pcsdesk", "--store", str(store), "show", ticket_id, "--json"],
                            capture_output=True, text=True, check=True)
    data: dict[str, object] = json.loads(result.stdout)
    return data


def commits(store: Path) -> int:
    return int(git(store, "rev-list", "--count", "HEAD"))


def fill_entry(page: Page, summary: str, building: str = "PCHS", details: str = "") -> None:
    page.goto("/new")
    page.get_by_label("Building").select_option(building)
    page.get_by_label("Summary").fill(summary)
    if details:
        page.get_by_label("Details").fill(details)


def entered_id(page: Page) -> str:
    """The new ticket's ID, once the browser has followed the submit to the ticket's page."""
    expect(page).to_have_url(re.compile(r"/tickets/\d{4}-[0-9A-Z]{5}"))
    found = re.search(r"/tickets/(\d{4}-[0-9A-Z]{5})", page.url)
    assert found, page.url
    return found.group(1)


class TestEnteringATicket:
    def test_the_checklist_comes_first_and_is_stored(self, person: Callable[[str], Page], live: LiveServer) -> None:
        page = person(TEACHER)
        page.goto("/")
        page.get_by_role("link", name="New Ticket").first.click()
        expect(page.get_by_role("heading", name="New Ticket")).to_be_visible()
        labels = [page.locator(f"label[for='{box.get_attribute('id')}']").inner_text()
                  for box in page.locator("input[type=checkbox]").all()]
        assert labels[:7] == PROCEDURE_CHECKS
        assert labels[7:] == ["This is an emergency"]
        for text in ("one issue per ticket", "as many details as you can", "password", "new technology"):
            expect(page.locator("main")).to_contain_text(text, ignore_case=True)
        page.get_by_label("All cords and cables are securely plugged in").check()
        page.get_by_label("I shut down and restarted my computer").check()
        page.get_by_label("I asked whether others are having the same issue").check()
        page.get_by_label("Yes", exact=True).check()
        page.get_by_label("Building").select_option("PCHS")
        page.get_by_label("Category").select_option("av")
        page.get_by_label("Summary").fill("Projector in room 204 shows no signal")
        page.get_by_label("Details").fill("Laptop shows the desktop.\nProjector says No Input.")
        page.get_by_role("button", name="Submit ticket").click()
        ticket_id = entered_id(page)
        expect(page.locator("main")).to_contain_text(ticket_id)
        data = show(live.store, ticket_id)
        assert data["summary"] == "Projector in room 204 shows no signal"
        assert data["description"] == "Laptop shows the desktop.\nProjector says No Input."
        assert data["category"] == "av" and data["requester"] == TEACHER
        checklist = data["checklist"]
        assert isinstance(checklist, dict)
        assert {key for key, made in checklist.items() if made} == {"cables", "restart", "others"}
        assert data["others_affected"] is True   # "Are others having the same issue?" Yes
        assert git(live.store, "log", "-1", "--format=%ae").strip() == TEACHER
        # My tickets lists it with the due time in words.
        page.get_by_role("link", name="My tickets").click()
        row = page.get_by_role("row").filter(has_text=ticket_id)
        expect(row).to_contain_text("by Wed Dec 2, 10:00")

    def test_a_password_is_refused_with_the_form_kept(self, person: Callable[[str], Page], live: LiveServer) -> None:
        page = person(TEACHER)
        before = commits(live.store)
        fill_entry(page, "Cannot sign in to email", details="my password is Tiger123")
        page.get_by_label("I logged out and logged back in").check()
        page.get_by_role("button", name="Submit ticket").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("password")
        expect(alert).not_to_contain_text("Tiger123")
        expect(page.get_by_label("Summary")).to_have_value("Cannot sign in to email")
        expect(page.get_by_label("Details")).to_have_value("my password is Tiger123")
        expect(page.get_by_label("Building")).to_have_value("PCHS")
        expect(page.get_by_label("I logged out and logged back in")).to_be_checked()
        assert commits(live.store) == before

    def test_an_empty_summary_is_refused(self, person: Callable[[str], Page], live: LiveServer) -> None:
        page = person(TEACHER)
        before = commits(live.store)
        fill_entry(page, "", details="Something is wrong")
        page.get_by_role("button", name="Submit ticket").click()
        expect(page.get_by_role("alert")).to_contain_text("summary")
        expect(page.get_by_label("Details")).to_have_value("Something is wrong")
        assert commits(live.store) == before

    def test_new_technology_is_refused_naming_the_building_ets(
            self, person: Callable[[str], Page], live: LiveServer) -> None:
        page = person(TEACHER)
        before = commits(live.store)
        fill_entry(page, "A 3D printer for the lab")
        page.get_by_label("Category").select_option("new-technology")
        page.get_by_role("button", name="Submit ticket").click()
        expect(page.get_by_role("alert")).to_contain_text("ETS")
        expect(page.get_by_role("alert")).to_contain_text(ETS)
        expect(page.get_by_label("Category")).to_have_value("new-technology")
        expect(page.get_by_label("Summary")).to_have_value("A 3D printer for the lab")
        assert commits(live.store) == before

    def test_an_emergency_shows_the_phone_path_first(self, person: Callable[[str], Page], live: LiveServer) -> None:
        page = person(TEACHER)
        fill_entry(page, "No network in the whole building")
        page.get_by_label("This is an emergency").check()
        page.get_by_role("button", name="Submit ticket").click()
        ticket_id = entered_id(page)
        first = page.locator("main > *").first
        expect(first).to_contain_text("ETS")
        expect(first).to_contain_text("x5051")   # then the Network Operations Center
        assert show(live.store, ticket_id)["priority"] == "emergency"

    def test_a_co_worker_enters_one_on_behalf_of_someone(
            self, person: Callable[[str], Page], live: LiveServer) -> None:
        page = person(COWORKER)
        fill_entry(page, "Classroom speakers crackle")
        page.get_by_label("On behalf of").fill("agreen@pcschools.us")
        page.get_by_role("button", name="Submit ticket").click()
        ticket_id = entered_id(page)
        data = show(live.store, ticket_id)
        assert (data["requester"], data["entered_by"]) == ("agreen@pcschools.us", COWORKER)
        assert git(live.store, "log", "-1", "--format=%ae").strip() == COWORKER
        # The requester sees it among their own tickets, and may open it.
        other = person("agreen@pcschools.us")
        other.goto("/")
        other.get_by_role("link", name=ticket_id).click()
        expect(other.locator("h1")).to_contain_text(ticket_id)


def enter_as(person: Callable[[str], Page], who: str, summary: str) -> tuple[Page, str]:
    page = person(who)
    fill_entry(page, summary)
    page.get_by_role("button", name="Submit ticket").click()
    return page, entered_id(page)


class TestFollowingATicket:
    def test_adding_a_note(self, person: Callable[[str], Page], live: LiveServer) -> None:
        page, ticket_id = enter_as(person, TEACHER, "Document camera is blurry")
        page.get_by_label("Note").fill("It is the one on the cart, <not> the wall one")
        page.get_by_role("button", name="Add note").click()
        expect(page.locator("ol.log")).to_contain_text("It is the one on the cart, <not> the wall one")
        notes = show(live.store, ticket_id)["notes"]
        assert isinstance(notes, list)
        assert [(n["kind"], n["by"]) for n in notes] == [("note", TEACHER)]

    def test_the_requester_closes_and_reopens(self, person: Callable[[str], Page], live: LiveServer) -> None:
        page, ticket_id = enter_as(person, TEACHER, "Chromebook will not charge")
        page.get_by_label("Note").fill("Found the charger was unplugged at the wall")
        page.get_by_role("button", name="Close").click()
        expect(page.locator("h1")).to_contain_text("closed")
        assert show(live.store, ticket_id)["status"] == "closed"
        page.get_by_label("Note").fill("Dead again this morning")
        page.get_by_role("button", name="Reopen").click()
        expect(page.locator("h1")).to_contain_text("open")
        data = show(live.store, ticket_id)
        notes = data["notes"]
        assert isinstance(notes, list)
        assert data["status"] == "open" and [n["kind"] for n in notes] == ["close", "reopen"]

    def test_a_close_without_a_message_is_refused_on_the_page(
            self, person: Callable[[str], Page], live: LiveServer) -> None:
        page, _ = enter_as(person, TEACHER, "Mouse double-clicks")
        before = commits(live.store)
        page.get_by_role("button", name="Close").click()
        expect(page.get_by_role("alert")).to_be_visible()
        assert commits(live.store) == before

    def test_staff_assign_and_escalate(self, person: Callable[[str], Page], live: LiveServer) -> None:
        _, ticket_id = enter_as(person, TEACHER, "Smart board pen does nothing")
        page = person(ETS)
        page.goto(f"/tickets/{ticket_id}")
        page.get_by_label("Staff member").select_option(TECH)
        page.get_by_label("Note").fill("Rachel has the spare pens")
        page.get_by_role("button", name="Assign").click()
        expect(page.get_by_role("status")).to_contain_text("assigned")
        page = person(TECH)
        page.goto("/queue")
        page.get_by_role("link", name=ticket_id).click()
        page.get_by_label("Staff member").select_option(NETOPS)
        page.get_by_label("Note").fill("Pen pairs, board never sees it; the board's network port is dead")
        page.get_by_role("button", name="Escalate").click()
        data = show(live.store, ticket_id)
        notes = data["notes"]
        assert isinstance(notes, list)
        assert [(n["kind"], n["by"], n.get("to")) for n in notes] == [
            ("assign", ETS, TECH), ("escalate", TECH, NETOPS)]
        assert data["assignee"] == NETOPS
        assert git(live.store, "log", "-2", "--format=%ae").split() == [TECH, ETS]

    def test_a_requester_does_not_get_assign_or_escalate(
            self, person: Callable[[str], Page], live: LiveServer) -> None:
        page, _ = enter_as(person, TEACHER, "Headphones crackle")
        expect(page.get_by_role("button", name="Assign")).to_have_count(0)
        expect(page.get_by_role("button", name="Escalate")).to_have_count(0)


class TestRefusals:
    def test_a_requester_is_refused_another_persons_ticket(
            self, person: Callable[[str], Page], live: LiveServer) -> None:
        _, ticket_id = enter_as(person, TEACHER, "Label printer prints blank labels")
        page = person(COWORKER)
        theirs = page.goto(f"/tickets/{ticket_id}")
        assert theirs is not None and theirs.status == 404
        their_text = page.locator("main").inner_text()
        unknown = page.goto("/tickets/2611-ZZZZZ")
        assert unknown is not None and unknown.status == 404
        assert page.locator("main").inner_text() == their_text
        assert "Label printer" not in their_text

    def test_a_forged_post_without_its_csrf_token_is_refused(
            self, person: Callable[[str], Page], live: LiveServer) -> None:
        page, ticket_id = enter_as(person, TEACHER, "Keyboard missing keys")
        before = commits(live.store)
        # The signed-in browser's own cookies go with it; only the token is missing.
        response = page.request.post(f"/tickets/{ticket_id}", form={"action": "note", "note": "forged"})
        assert response.status == 400
        forged_entry = page.request.post("/new", form={"building": "PCHS", "summary": "forged"})
        assert forged_entry.status == 400
        assert commits(live.store) == before

    def test_a_request_from_an_untrusted_address_is_refused(
            self, new_context: Callable[..., object], tmp_path: Path) -> None:
        env = hermetic_env(tmp_path, MONDAY_10)
        # The only trusted proxy is elsewhere: this browser on 127.0.0.1 is not it.
        with LiveServer(make_store(tmp_path, env), env, "--trusted-proxy", "192.0.2.10") as server:
            context = new_context(base_url=server.url, extra_http_headers={"X-Forwarded-Email": TEACHER})
            page = context.new_page()  # type: ignore[attr-defined]
            response = page.goto("/")
            assert response.status == 401
            expect(page.get_by_role("alert")).to_contain_text("sign")
            assert page.request.post("/new", form={"summary": "x"}).status == 401
            assert server.stop() == 0


class TestForEveryone:
    def test_keyboard_alone_enters_a_ticket(self, person: Callable[[str], Page], live: LiveServer) -> None:
        page = person(TEACHER)
        page.goto("/new")
        page.get_by_label("Summary").focus()
        page.keyboard.type("Sound cuts out in the auditorium")
        page.get_by_label("Building").focus()
        page.keyboard.type("Park")   # type-to-select: Park City High School
        page.get_by_role("button", name="Submit ticket").focus()
        page.keyboard.press("Enter")
        data = show(live.store, entered_id(page))
        assert (data["summary"], data["building"]) == ("Sound cuts out in the auditorium", "PCHS")

    def test_every_field_is_labelled_and_a_phone_needs_no_sideways_scrolling(
            self, new_context: Callable[..., object], live: LiveServer) -> None:
        context = new_context(base_url=live.url, viewport={"width": 360, "height": 740},
                              extra_http_headers={"X-Forwarded-Email": ETS})
        page = context.new_page()  # type: ignore[attr-defined]
        _, ticket_id = enter_as(lambda who: page, ETS, "Wall clock display is dark")
        for path in ("/", "/new", f"/tickets/{ticket_id}", "/queue"):
            page.goto(path)
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], path
            for field in page.locator("input:not([type=hidden]), select, textarea").all():
                field_id = field.get_attribute("id")
                assert field_id and page.locator(f"label[for='{field_id}']").count() == 1, (path, field_id)
