"""Long lists a page at a time, and a serving thread's store kept between requests yet always current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from support import ETS, TEACHER, git
from webclient import Browser, text

from pcsdesk.web import paging

COWORKER = "mjones@pcschools.us"
_LINK = re.compile(r'href="/tickets/(\d{4}-[0-9A-Z]{5})"')


def ids_on(page: str) -> list[str]:
    return _LINK.findall(page)


class TestPages:
    def test_my_tickets_a_page_at_a_time_open_first_newest_first(self, app: Flask, invoke,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(paging, "PAGE_SIZE", 2)
        entered = [invoke.new(as_user=TEACHER, now=f"2026-11-30T0{hour}:00:00") for hour in range(8, 10)]
        entered += [invoke.new("--requester", TEACHER, as_user=COWORKER, now="2026-11-30T10:00:00")]
        closed = invoke.new(as_user=TEACHER, now="2026-11-30T11:00:00")
        invoke(["close", closed, "-m", "Fixed"], as_user=ETS, now="2026-12-01T09:00:00")
        invoke.new(as_user=COWORKER, now="2026-11-30T12:00:00")   # the co-worker's own: not on the list
        teacher = Browser(app, TEACHER)
        first, second = text(teacher.get("/")), text(teacher.get("/?page=2"))
        assert ids_on(first) == [entered[2], entered[1]]
        assert ids_on(second) == [entered[0], closed]   # the closed one last
        assert "Tickets 1-2 of 4." in first and 'href="/?page=2"' in first and "Previous page" not in first
        assert "Tickets 3-4 of 4." in second and 'href="/?page=1"' in second and "Next page" not in second
        past = text(teacher.get("/?page=9"))
        assert "No tickets on this page; there are 4." in past and 'href="/?page=8"' in past
        assert ids_on(text(teacher.get("/?page=nonsense"))) == ids_on(first)

    def test_a_short_list_has_no_page_links(self, app: Flask, invoke) -> None:
        invoke.new(as_user=TEACHER)
        page = text(Browser(app, TEACHER).get("/"))
        assert len(ids_on(page)) == 1 and "Next page" not in page and "Tickets 1-" not in page

    def test_the_queue_a_page_at_a_time_keeping_its_filters(self, app: Flask, invoke,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(paging, "PAGE_SIZE", 2)
        overdue = invoke.new(now="2026-11-20T09:00:00")
        later = [invoke.new(now=f"2026-11-30T{hour}:00:00") for hour in (10, 11)]
        emergency = invoke.new("--emergency", now="2026-11-30T12:00:00")
        ets = Browser(app, ETS)
        first = text(ets.get("/queue?building=PCHS&status=open"))
        second = text(ets.get("/queue?building=PCHS&status=open&page=2"))
        assert ids_on(first) == [emergency, overdue]
        assert ids_on(second) == later
        assert "4 tickets: emergencies and overdue first" in first
        link = re.search(r'rel="next" href="([^"]+)"', first)
        assert link is not None
        target = link.group(1).replace("&amp;", "&")
        assert "building=PCHS" in target and "status=open" in target and "page=2" in target
        assert ids_on(text(ets.get(target))) == later


class TestKeptStore:
    """The thread's Store is kept between requests and refreshed: it must never show an old HEAD."""

    def test_a_cli_write_between_two_pages_is_seen_by_the_next(self, app: Flask, invoke) -> None:
        teacher = Browser(app, TEACHER)
        first = invoke.new(as_user=TEACHER)
        assert ids_on(text(teacher.get("/"))) == [first]
        second = invoke.new(as_user=TEACHER, now="2026-11-30T11:00:00")
        assert set(ids_on(text(teacher.get("/")))) == {first, second}
        invoke(["note", first, "-m", "Replaced the cable"], as_user=ETS)
        assert "Replaced the cable" in text(teacher.get(f"/tickets/{first}"))

    def test_a_committed_change_to_buildings_yaml_is_seen_by_the_next_page(self, app: Flask, store: Path) -> None:
        coworker = Browser(app, COWORKER)
        assert coworker.get("/queue").status_code == 403
        directory = store / "buildings.yaml"
        content = directory.read_text()
        assert "\nstaff:\n" in content
        directory.write_text(content.replace(
            "\nstaff:\n", f'\nstaff:\n  {COWORKER}: {{name: "M Jones", role: tech, '
                          f'supervisor: director.technology@pcschools.us}}\n', 1))
        git(store, "commit", "-q", "-am", "M Jones joins the staff")
        assert coworker.get("/queue").status_code == 200

    def test_a_web_write_then_a_read_on_the_same_thread(self, app: Flask, store: Path) -> None:
        teacher = Browser(app, TEACHER)
        token = teacher.token("/new")
        response = teacher.post("/new", {"building": "PCHS", "summary": "Printer jams", "details": "",
                                         "others_affected": "no", "csrf_token": token}, token=False)
        assert response.status_code == 303
        ticket_id = response.headers["Location"].split("/")[2].split("?")[0]
        assert ticket_id in ids_on(text(teacher.get("/")))
        assert git(store, "status", "--porcelain").strip() == ""
