"""The web's rules through Flask's test client: who is believed, CSRF, 404 for others' tickets, escaping, headers.

Each change goes through the core on a real store, so each test also looks at git.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from support import ETS, NETOPS, TEACHER, TECH, git, object_database
from webclient import HEADER, Browser, make_app, text

COWORKER = "mjones@pcschools.us"
ENTRY = {"building": "PCHS", "summary": "Projector shows no signal", "details": "Room 204",
         "others_affected": "unknown"}


def commits(store: Path) -> int:
    return int(git(store, "rev-list", "--count", "HEAD"))


def enter(browser: Browser, **fields: str) -> str:
    """Submit New Ticket; returns the new ticket's ID from the page it leads to."""
    response = browser.post("/new", {**ENTRY, **fields})
    assert response.status_code == 303, text(response)
    location = response.headers["Location"]
    assert location.startswith("/tickets/")
    return location.split("/")[2].split("?")[0]


class TestWhoIsBelieved:
    def test_a_request_without_identity_gets_401_and_no_ticket_data(self, app: Flask) -> None:
        ticket_id = enter(Browser(app, TEACHER))
        for path in ("/", "/new", f"/tickets/{ticket_id}", "/queue"):
            response = Browser(app, None).get(path)
            assert response.status_code == 401
            assert ticket_id not in text(response) and "Projector" not in text(response)

    def test_an_identity_from_an_untrusted_address_is_not_believed(self, app: Flask) -> None:
        ticket_id = enter(Browser(app, TEACHER))
        outsider = Browser(app, TEACHER, remote_addr="10.1.2.3")
        response = outsider.get(f"/tickets/{ticket_id}")
        assert response.status_code == 401
        assert "Projector" not in text(response)

    def test_a_post_from_an_untrusted_address_writes_nothing(self, app: Flask, store: Path) -> None:
        before = commits(store)
        outsider = Browser(app, TEACHER, remote_addr="10.1.2.3")
        response = outsider.post("/new", ENTRY, token=False)
        assert response.status_code == 401
        assert commits(store) == before

    def test_a_configured_proxy_address_is_believed(self, store: Path) -> None:
        from pcsdesk.web.config import parse_networks

        app = make_app(store, trusted_proxies=parse_networks(["10.1.2.0/24"]))
        assert Browser(app, TEACHER, remote_addr="10.1.2.3").get("/").status_code == 200
        assert Browser(app, TEACHER, remote_addr="127.0.0.1").get("/").status_code == 401

    @pytest.mark.parametrize("identity", [
        "someone@example.com", "jsmith@pcschools.us.evil.org", "jsmith@pcschools.us, ets.pchs@pcschools.us",
        "Jo Smith <jsmith@pcschools.us>", "", "jsmith", "@pcschools.us",
    ])
    def test_only_one_address_of_the_district_domain_signs_in(self, app: Flask, identity: str) -> None:
        browser = Browser(app, None)
        browser.headers = {HEADER: identity}
        assert browser.get("/").status_code == 401

    def test_the_address_is_read_in_lower_case_and_allowed_domains_are_configurable(self, store: Path) -> None:
        app = make_app(store, allowed_domains=("students.pcschools.us",))
        assert Browser(app, "Kid@Students.PCSchools.us").get("/").status_code == 200
        assert Browser(app, TEACHER).get("/").status_code == 401

    def test_another_identity_header_can_be_configured(self, store: Path) -> None:
        app = make_app(store, identity_header="X-Auth-Request-Email")
        browser = Browser(app, None)
        browser.headers = {"X-Auth-Request-Email": TEACHER}
        assert browser.get("/").status_code == 200
        assert Browser(app, TEACHER).get("/").status_code == 401   # the default header now means nothing


class TestCsrf:
    def test_a_post_without_its_token_is_refused_and_writes_nothing(self, app: Flask, store: Path) -> None:
        before = commits(store)
        response = Browser(app, TEACHER).post("/new", ENTRY, token=False)
        assert response.status_code == 400
        assert commits(store) == before

    def test_a_forged_token_is_refused(self, app: Flask, store: Path) -> None:
        ticket_id = enter(Browser(app, TEACHER))
        before = commits(store)
        response = Browser(app, TEACHER).post(
            f"/tickets/{ticket_id}", {"action": "note", "note": "hi", "csrf_token": "forged"}, token=False)
        assert response.status_code == 400
        assert commits(store) == before

    def test_every_form_carries_a_token(self, app: Flask) -> None:
        browser = Browser(app, ETS)
        ticket_id = enter(browser)
        for path in ("/new", f"/tickets/{ticket_id}"):
            page = text(browser.get(path))
            assert page.count('<form method="post"') == page.count('name="csrf_token"')


class TestWhoSeesWhat:
    def test_a_requester_gets_404_for_someone_elses_ticket_as_for_an_unknown_id(self, app: Flask) -> None:
        ticket_id = enter(Browser(app, TEACHER))
        other = Browser(app, COWORKER)
        theirs = other.get(f"/tickets/{ticket_id}")
        unknown = other.get("/tickets/2611-ZZZZZ")
        malformed = other.get("/tickets/not-an-id")
        assert theirs.status_code == unknown.status_code == malformed.status_code == 404
        assert text(theirs) == text(unknown)
        assert "Projector" not in text(theirs)

    def test_a_requester_cannot_post_to_someone_elses_ticket(self, app: Flask, store: Path) -> None:
        ticket_id = enter(Browser(app, TEACHER))
        other = Browser(app, COWORKER)
        token = other.token("/new")
        before = commits(store)
        response = other.post(f"/tickets/{ticket_id}", {"action": "note", "note": "mine now",
                                                         "csrf_token": token}, token=False)
        assert response.status_code == 404
        assert commits(store) == before

    def test_the_co_worker_who_entered_it_and_the_requester_both_see_it(self, app: Flask) -> None:
        ticket_id = enter(Browser(app, COWORKER), on_behalf_of=TEACHER)
        assert Browser(app, COWORKER).get(f"/tickets/{ticket_id}").status_code == 200
        assert Browser(app, TEACHER).get(f"/tickets/{ticket_id}").status_code == 200
        assert ticket_id in text(Browser(app, TEACHER).get("/"))
        assert ticket_id in text(Browser(app, COWORKER).get("/"))
        assert ticket_id not in text(Browser(app, "someone@pcschools.us").get("/"))

    def test_staff_see_every_ticket_and_the_queue(self, app: Flask) -> None:
        ticket_id = enter(Browser(app, TEACHER))
        assert Browser(app, NETOPS).get(f"/tickets/{ticket_id}").status_code == 200
        queue = Browser(app, TECH).get("/queue")
        assert queue.status_code == 200 and ticket_id in text(queue)

    def test_the_queue_is_for_staff_only(self, app: Flask) -> None:
        enter(Browser(app, TEACHER))
        response = Browser(app, TEACHER).get("/queue")
        assert response.status_code == 403
        assert "Projector" not in text(response)


class TestPages:
    def test_all_text_is_escaped(self, app: Flask) -> None:
        browser = Browser(app, TEACHER)
        ticket_id = enter(browser, summary="<script>alert(1)</script>", details="<b>bold</b> & more")
        page = text(browser.get(f"/tickets/{ticket_id}"))
        assert "<script>alert(1)</script>" not in page and "<b>bold</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in page
        assert "&lt;script&gt;" in text(browser.get("/"))

    def test_headers_forbid_inline_script_and_framing(self, app: Flask) -> None:
        for response in (Browser(app, TEACHER).get("/new"), Browser(app, None).get("/")):
            policy = response.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in policy
            assert "unsafe-inline" not in policy and "script-src" not in policy   # default-src 'none' covers it
            assert "default-src 'none'" in policy
            assert response.headers["X-Frame-Options"] == "DENY"
            assert response.headers["X-Content-Type-Options"] == "nosniff"

    def test_no_page_has_inline_script_or_style(self, app: Flask) -> None:
        browser = Browser(app, ETS)
        ticket_id = enter(browser)
        for path in ("/", "/new", f"/tickets/{ticket_id}", "/queue"):
            page = text(browser.get(path))
            assert "<script" not in page and "style=" not in page and "<style" not in page

    def test_a_refused_password_is_never_repeated_and_nothing_is_written(self, app: Flask, store: Path) -> None:
        before = commits(store)
        secret = "Tiger123xyz"
        response = Browser(app, TEACHER).post("/new", {**ENTRY, "details": f"my password is {secret}"})
        assert response.status_code == 400
        page = text(response)
        assert 'role="alert"' in page
        # The field keeps what was typed (so nothing is typed twice); no message repeats it.
        assert page.count(secret) == 1
        assert page.index(secret) > page.index('<textarea id="details"')
        assert commits(store) == before
        assert secret.encode() not in object_database(store)

    def test_a_password_in_a_note_is_refused(self, app: Flask, store: Path) -> None:
        browser = Browser(app, TEACHER)
        ticket_id = enter(browser)
        before = commits(store)
        response = browser.post(f"/tickets/{ticket_id}", {"action": "note", "note": "pw: Summer2024!"})
        assert response.status_code == 400
        assert 'role="alert"' in text(response)
        assert commits(store) == before

    def test_a_change_is_one_commit_authored_by_the_signed_in_person(self, app: Flask, store: Path) -> None:
        browser = Browser(app, TEACHER)
        ticket_id = enter(browser)
        assert git(store, "log", "-1", "--format=%ae %s") == f"{TEACHER} {ticket_id} new: Projector shows no signal\n"
        before = commits(store)
        assert browser.post(f"/tickets/{ticket_id}", {"action": "note", "note": "Still dark"}).status_code == 303
        assert commits(store) == before + 1
        assert git(store, "log", "-1", "--format=%ae").strip() == TEACHER
        assert git(store, "status", "--porcelain") == ""

    def test_an_unexpected_failure_names_the_webmaster_without_a_traceback(self, store: Path) -> None:
        app = make_app(store)
        app.config["TESTING"] = False   # as served: errors reach the boundary, not the test

        def broken() -> str:
            raise RuntimeError("disk on fire: /srv/secret/path")

        app.add_url_rule("/broken", view_func=broken)
        response = Browser(app, TEACHER).get("/broken")
        assert response.status_code == 500
        page = text(response)
        assert "webmaster@pcschools.us" in page
        assert "Traceback" not in page and "disk on fire" not in page


def stored(store: Path, ticket_id: str) -> dict[str, object]:
    from pcsdesk.store.store import Store

    opened = Store(store)
    try:
        found = opened.read_ticket(ticket_id)
        return {"checklist": found.checklist, "others_affected": found.others_affected}
    finally:
        opened.close()


class TestTheChecklist:
    @pytest.mark.parametrize(("answer", "others_affected"), [("yes", True), ("no", False), ("unknown", None)])
    def test_are_others_having_the_same_issue_is_stored_as_others_affected(
            self, app: Flask, store: Path, answer: str, others_affected: bool | None) -> None:
        ticket_id = enter(Browser(app, TEACHER), others_affected=answer)
        assert stored(store, ticket_id)["others_affected"] is others_affected

    def test_every_check_is_stored_true_where_made_and_false_where_not(self, app: Flask, store: Path) -> None:
        browser = Browser(app, TEACHER)
        response = browser.post("/new", {**ENTRY, "check": ["cables", "restart"]})
        ticket_id = response.headers["Location"].split("/")[2].split("?")[0]
        assert stored(store, ticket_id)["checklist"] == {
            "cables": True, "power": False, "others": False, "relogin": False,
            "restart": True, "internet": False, "batteries": False,
        }

    def test_knowing_whether_others_have_it_means_the_others_check_was_made(
            self, app: Flask, store: Path) -> None:
        ticket_id = enter(Browser(app, TEACHER), others_affected="no")
        checklist = stored(store, ticket_id)["checklist"]
        assert isinstance(checklist, dict) and checklist["others"] is True

    def test_the_labels_are_the_core_checks_in_the_procedures_order(self, app: Flask) -> None:
        from pcsdesk.rules.ticket import CHECKS, OTHERS_AFFECTED_QUESTION

        page = text(Browser(app, TEACHER).get("/new"))
        at = [page.index(f'<label for="check-{key}">{check.made}</label>') for key, check in CHECKS.items()]
        assert at == sorted(at)
        assert f"<legend>{OTHERS_AFFECTED_QUESTION}</legend>" in page


def alert(response: object) -> str:
    """The text of the page's role="alert" element, without markup."""
    import re

    page = text(response)  # type: ignore[arg-type]
    found = re.search(r'role="alert"[^>]*>(.*?)</div>', page, re.S)
    assert found, page
    return re.sub(r"<[^>]+>", "", found.group(1))


class TestMessagesFitAPage:
    """The core's refusals say what to do in words a page can show: no CLI flag or command in them."""

    @staticmethod
    def assert_no_command_line(message: str) -> None:
        for cli in ("--", "-m ", "-m\n", "`", "pcsdesk "):
            assert cli not in message, message

    def test_refused_entries(self, app: Flask) -> None:
        browser = Browser(app, TEACHER)
        for fields, words in (({"summary": "  "}, "summary is empty"),
                              ({"on_behalf_of": "Jo Smith"}, "one email address")):
            response = browser.post("/new", {**ENTRY, **fields})
            assert response.status_code == 400
            assert words in alert(response)
            self.assert_no_command_line(alert(response))

    def test_refused_changes_to_a_ticket(self, app: Flask) -> None:
        requester = Browser(app, TEACHER)
        ticket_id = enter(requester)
        path = f"/tickets/{ticket_id}"
        staff = Browser(app, TECH)
        for browser, form, words in (
                (requester, {"action": "note", "note": " "}, "note is empty"),
                (requester, {"action": "close", "note": ""}, "resolution"),
                (requester, {"action": "assign", "to": TECH, "note": ""}, "add a note instead"),
                (staff, {"action": "escalate", "to": NETOPS, "note": ""}, "research so far"),
                (staff, {"action": "assign", "to": ETS, "note": ""}, "already held"),
        ):
            response = browser.post(path, form)
            assert response.status_code == 400, form
            assert words in alert(response), form
            self.assert_no_command_line(alert(response))

    def test_a_requester_reopening_without_a_reason_is_told_to_write_it_in_the_note(
            self, app: Flask) -> None:
        requester = Browser(app, TEACHER)
        ticket_id = enter(requester)
        path = f"/tickets/{ticket_id}"
        assert requester.post(path, {"action": "close", "note": "Works now"}).status_code == 303
        response = requester.post(path, {"action": "reopen", "note": ""})
        assert response.status_code == 400 and "note" in alert(response)
        self.assert_no_command_line(alert(response))
