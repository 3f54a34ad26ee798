"""Build a realistic pcsdesk store of N tickets directly, with `git fast-import`, for the benchmarks.

    python bench/generate.py --tickets 100000 bench/stores/100000

The store is made by pcsdesk's own `init` (store setup API), then three school years
of tickets (2024-25 to 2026-27) are committed on top with one `git fast-import`
process, one commit per week. Every ticket is built the way the commands build
it (rules.ticket.append_note, routing, IDs from rules.ids) and written with the
tool's own writer (ticket_to_data + dump_yaml), so the files are byte for byte
what pcsdesk itself would write. Rendering, the slow part, runs on every core.

What the tickets look like:
- every building and every in-scope category of the default buildings.yaml, routed
  as `new` routes them; about 0.7% emergencies (network and phones mostly);
- entered mostly in school-day working hours, some evenings, weekends, holidays
  and summer, so times cross both DST changes and the District Office closures;
- 1 to 6 log entries: the first response (usually on time, sometimes late),
  questions and answers with the requester, escalations to Technology Department
  staff with the research so far, hand-overs to building techs, the close, and
  now and then a reopen and a second close;
- 2% still open at the end (most entered in the last weeks, a few old and
  forgotten; some with no first response, so `overdue` has work to do).

The run is deterministic for a given --seed and --tickets.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pcsdesk.rules.business_time import add_business_seconds
from pcsdesk.rules.calendar import Calendar
from pcsdesk.rules.directory import Directory
from pcsdesk.rules.ids import new_ticket_id, ticket_path
from pcsdesk.rules.passwords import refuse_passwords
from pcsdesk.rules.routing import route_new_ticket
from pcsdesk.rules.ticket import CHECKLIST, Note, Ticket, append_note, ticket_to_data
from pcsdesk.store.setup import init_store
from pcsdesk.store.store import Store
from pcsdesk.store.yamlio import dump_yaml

FIRST_DAY = date(2024, 8, 1)
# The last school day of 2026-27, at 14:00: the "now" the bench runs its commands at.
NOW = "2027-06-04T14:00:00"
BENCH_NOW = datetime.fromisoformat(NOW)
ADMIN = "director.technology@pcschools.us"
DOMAIN = "pcschools.us"
OPEN_SHARE = 0.02
EMERGENCY_SHARE = 0.007

# School years: (first day, last day). Summer weekdays still bring a few tickets.
SCHOOL_YEARS = [
    (date(2024, 8, 19), date(2025, 6, 5)),
    (date(2025, 8, 18), date(2026, 6, 4)),
    (date(2026, 8, 17), date(2027, 6, 4)),
]
# How much of the district's traffic each building brings (the high school most).
BUILDING_WEIGHTS = {"PCHS": 24, "TMJH": 14, "EHMS": 14, "JRES": 9, "MES": 9, "PPES": 9,
                    "TES": 9, "DO": 12}

FIRST_NAMES = """james mary robert patricia john jennifer michael linda david elizabeth william
barbara richard susan joseph jessica thomas sarah charles karen christopher lisa daniel nancy
matthew betty anthony sandra mark margaret donald ashley steven kimberly andrew emily paul
donna joshua michelle kenneth carol kevin amanda brian melissa george deborah timothy
stephanie ronald rebecca jason sharon edward laura jeffrey cynthia ryan dorothy jacob amy
gary kathleen nicholas angela eric shirley jonathan emma stephen brenda larry pamela justin
nicole scott anna brandon samantha benjamin katherine samuel christine gregory debra
alexander rachel patrick carolyn frank janet raymond maria jack olivia dennis heather jerry
helen tyler catherine aaron diane jose julie adam victoria nathan joyce henry lauren zachary
kelly douglas christina peter ruth kyle joan noah virginia ethan judith jeremy evelyn
christian hannah walter andrea keith megan austin cheryl roger jacqueline terry martha sean
madison gerald teresa carl gloria dylan sara harold janice jordan ann jesse kathryn bryan
abigail lawrence sophia arthur frances gabriel jean bruce alice logan judy billy isabella
joe julia alan grace juan amber elijah denise willie danielle albert marilyn wayne beverly
randy charlotte mason natalie vincent theresa liam diana roy brittany bobby doris caleb
kayla bradley alexis russell lori lucas marie""".split()
LAST_NAMES = """smith johnson williams brown jones garcia miller davis rodriguez martinez
hernandez lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez
thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright
scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell
carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart
morris morales murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly
howard ramos kim cox ward richardson watson brooks chavez wood james bennett gray mendoza
ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez""".split()

ROOMS = ["101", "104", "112", "118", "126", "204", "207", "213", "219", "226", "231", "302",
         "309", "315", "Library", "Gym", "Media Center", "Front Office", "Counseling",
         "Cafeteria", "Music Room", "Art Room", "Science Lab 2", "Portable 3", "Board Room"]

# Per category: (summaries, descriptions, the research and resolution vocabulary).
SUMMARIES: dict[str | None, list[str]] = {
    "hardware": [
        "Chromebook will not turn on in room {room}", "Laptop fan very loud, gets hot",
        "Monitor flickers on the left side", "Docking station not detecting second screen",
        "Keyboard missing keys (cart {n})", "Chromebook screen cracked — student device",
        "Mouse stopped working after update", "Teacher laptop battery lasts 20 minutes",
        "Headphones in the {room} lab crackle", "Document camera arm broken",
    ],
    "software": [
        "PowerSchool gradebook will not load", "Canvas assignments show blank page",
        "Office asks to activate again", "Adobe Acrobat crashes on large PDFs",
        "Google Drive sync stuck at 0%", "Nearpod lesson freezes for students",
        "Math software license expired on lab computers", "Browser extension blocked",
        "Zoom update fails with error 10004", "Can't install the district-approved app from Self Service",
    ],
    "email": [
        "Emails to parents bounce back", "Calendar invites not showing in Outlook",
        "Shared mailbox missing from sidebar", "Mail stuck in outbox since {day}",
        "Spam filter blocking vendor invoices", "Distribution list for {room} wrong",
        "Out-of-office reply not turning off", "Gmail says storage almost full",
    ],
    "accounts": [
        "Locked out of my account after the holiday", "Password expired and reset page errors",
        "Substitute needs a temporary login", "New teacher account not created yet",
        "Student account disabled by mistake", "Two-step verification phone changed",
        "Cannot sign in to PowerSchool with district login", "Please reset my password, it says expired",
    ],
    "printing": [
        "Copier in {room} jams every page", "Printer offline for the whole hallway",
        "Color printing prints in black and white", "Scan-to-email not sending",
        "Printer queue shows 40 stuck jobs", "Badge release at the copier not working",
        "Toner low warning but new cartridge installed",
    ],
    "av": [
        "Projector in room {room} shows no signal", "Sound bar in {room} has no audio",
        "Interactive panel touch is off by an inch", "Apple TV won't mirror from teacher laptop",
        "Microphone in the gym cuts out during assemblies", "Document camera image is upside down",
        "Projector bulb warning light blinking", "HDMI wall plate loose in {room}",
    ],
    "network": [
        "Wi-Fi drops in the {room} wing", "No internet in portable classrooms",
        "Network very slow during testing window", "Cannot reach district file share",
        "Ethernet port dead in room {room}", "Guest Wi-Fi login page not appearing",
        "Whole building lost internet", "Access point blinking orange in {room}",
    ],
    "phones": [
        "Desk phone says no service", "Voicemail light stays on", "Cannot transfer calls to front office",
        "Phone in {room} rings but no audio", "Intercom does not reach portable {n}",
        "Whole building phones down",
    ],
    None: [
        "Something is wrong with my computer", "Need help before my class at {time}",
        "Error message when logging in this morning", "Everything is slow today",
        "Classroom tech not working, not sure what", "Question about a device in {room}",
    ],
}
DESCRIPTIONS = [
    "",
    "Started this morning. I already restarted.",
    "It worked yesterday. Students are waiting, please help when you can.",
    "Happens every day around {time}. Others in the hallway see it too.",
    "Steps so far:\n- restarted the computer\n- checked the cables\n- logged out and back in\nStill the same.",
    "The message says: \"Error 0x800f081f — contact your administrator\".\nScreenshot on request.",
    "Room {room}, {building}. Best time to come by: during my prep period ({time}).",
    "Not urgent, but it slows down the whole class.\n\nThanks!",
    "Same problem as last month; the fix didn't hold.",
    "Parent night is on {day}; I need it working before then.",
    "Test window opens {day}: about 30 students affected.",
    "Café menu display in the commons is affected too (señor Gómez noticed).",
]
STAFF_NOTES = [
    "Looked at it remotely; checking logs.", "Will stop by during your prep period.",
    "Could you tell me the asset tag on the device?", "Reproduced the problem; ordering a part.",
    "Swapped the cable; please test and let me know.", "Reimaged the device; sign in again please.",
    "Updated drivers and firmware.", "Vendor case opened: #{n}4417A.",
    "Checked the switch port; it was disabled, enabled it again.",
    "Part arrived; installing tomorrow morning.",
    "Tried the usual steps:\n- power cycled\n- reseated the cable\n- checked the settings\nStill failing.",
]
REQUESTER_NOTES = [
    "Thanks! I'll be in the room until 3.", "It happened again today.",
    "Asset tag is PCSD-{n}{n}{n}.", "Still not working after the restart.",
    "Any update? Class is on {day}.", "That worked for a day, now it's back.",
    "The student says it's the same on another Chromebook.",
]
ESCALATIONS = [
    "Beyond what I can do in the building. Research so far: cable and port tested, "
    "device works elsewhere, problem follows the location.",
    "Needs admin rights on the server. I confirmed the account exists and the error "
    "repeats after a reboot.",
    "Looks like a licensing problem on the district side; screenshots attached to the email.",
    "Whole wing affected, so not a single device. Checked the closet: lights on the switch look normal.",
    "Phone system side: handset replaced, same result.",
]
RESOLUTIONS = [
    "Fixed: replaced the cable.", "Resolved: reimaged and tested with the teacher.",
    "Working again after the firmware update.", "Replaced the device from the spare pool.",
    "Account unlocked and verified with the user.", "Access point replaced; signal good in the wing.",
    "Vendor pushed a fix; confirmed working.", "Duplicate of an earlier ticket; handled there.",
    "Printer driver reinstalled; test page printed.", "Teacher confirmed it is working now.",
]
REOPENS = [
    "It broke again the next day.", "Still happening; reopening.",
    "Not fixed for the students' devices, only mine.",
]
DEPARTMENT = ("netops@pcschools.us", "systems@pcschools.us", "phones@pcschools.us",
              "director.technology@pcschools.us")


@dataclass(frozen=True)
class Plan:
    """What the main process decides for one ticket; a worker builds and renders it."""

    index: int
    ticket_id: str
    entered: float  # epoch seconds
    seed: int
    open: bool


def people(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(email, home building) of the district's employees who enter tickets."""
    buildings = list(BUILDING_WEIGHTS)
    weights = list(BUILDING_WEIGHTS.values())
    seen: set[str] = set()
    out = []
    while len(out) < count:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first}.{last}@{DOMAIN}"
        if email in seen:
            email = f"{first}.{last}{rng.randint(2, 99)}@{DOMAIN}"
            if email in seen:
                continue
        seen.add(email)
        out.append((email, rng.choices(buildings, weights)[0]))
    return out


def day_weight(cal: Calendar, day: date) -> float:
    """How busy the helpdesk is on a day: school days most, summer and weekends little."""
    in_school = any(first <= day <= last for first, last in SCHOOL_YEARS)
    if not cal.is_business_day(day):
        return 0.04 if day.weekday() >= 5 else 0.15   # weekends; closures (holidays)
    return 1.0 if in_school else 0.3


def entry_times(cal: Calendar, rng: random.Random, count: int) -> list[datetime]:
    """`count` entry instants, busiest in the first school hours, a few in the evening."""
    days: list[date] = []
    day = FIRST_DAY
    while day <= BENCH_NOW.date():
        days.append(day)
        day += timedelta(days=1)
    weights = [day_weight(cal, d) for d in days]
    chosen = rng.choices(days, weights, k=count)
    out = []
    for d in chosen:
        r = rng.random()
        if r < 0.85:
            minutes = int(rng.triangular(6.5 * 60, 16 * 60, 8.5 * 60))
        elif r < 0.97:
            minutes = rng.randint(16 * 60, 22 * 60 + 30)
        else:
            minutes = rng.randint(0, 24 * 60 - 1)   # night: crosses the DST gap now and then
        local = datetime(d.year, d.month, d.day, minutes // 60, minutes % 60, rng.randint(0, 59),
                         tzinfo=cal.tz)
        # Through UTC and back, so a wall time in the spring-forward gap becomes a real instant.
        out.append(local.astimezone(cal.tz))
    now = BENCH_NOW.replace(tzinfo=cal.tz)
    return sorted(min(t, now - timedelta(minutes=5)) for t in out)


def make_plans(cal: Calendar, count: int, seed: int) -> list[Plan]:
    """IDs, entry times and which tickets stay open; IDs are unique as a clone demands."""
    rng = random.Random(seed)
    times = entry_times(cal, rng, count)
    now = BENCH_NOW.replace(tzinfo=cal.tz)
    # Open tickets: mostly the last weeks' (work in progress), a fifth old and forgotten.
    open_count = round(count * OPEN_SHARE)
    recent = [i for i, t in enumerate(times) if (now - t).days <= 21]
    old = [i for i, t in enumerate(times) if (now - t).days > 21]
    take_recent = min(len(recent), open_count - open_count // 5)
    open_set = set(rng.sample(recent, take_recent))
    open_set |= set(rng.sample(old, min(len(old), open_count - take_recent)))
    seen: set[str] = set()
    plans = []
    for i, entered in enumerate(times):
        while True:
            token = "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(5))
            ticket_id = new_ticket_id(entered.date(), token)
            if ticket_id not in seen:
                break
        seen.add(ticket_id)
        plans.append(Plan(i, ticket_id, entered.timestamp(), rng.getrandbits(48), i in open_set))
    return plans


# ---- the worker side: build one ticket from its plan and render it ----

_WORKER: dict[str, Any] = {}


def _init_worker(root: str) -> None:
    store = Store(Path(root))
    _WORKER["directory"] = store.directory
    _WORKER["calendar"] = store.calendar
    _WORKER["people"] = people(random.Random(7), 900)
    _WORKER["staff"] = frozenset(store.directory.staff)


def _fill(template: str, rng: random.Random, building: str) -> str:
    return template.format(
        room=rng.choice(ROOMS), n=rng.randint(1, 9), building=building,
        time=f"{rng.randint(8, 14)}:{rng.choice(['00', '15', '30', '45'])}",
        day=rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
    )


def build_ticket(plan: Plan, directory: Directory, cal: Calendar,
                 staff: frozenset[str], everyone: list[tuple[str, str]]) -> Ticket:
    """One ticket with a realistic log, built with the same rules the commands apply."""
    rng = random.Random(plan.seed)
    tz = cal.tz
    now = BENCH_NOW.replace(tzinfo=tz)
    entered = datetime.fromtimestamp(plan.entered, tz)
    requester, home = rng.choice(everyone)
    codes = list(BUILDING_WEIGHTS)
    building_code = home if rng.random() < 0.9 else rng.choices(codes, list(BUILDING_WEIGHTS.values()))[0]
    building = directory.buildings[building_code]
    in_scope = [name for name, c in directory.categories.items() if not c.out_of_scope]
    category: str | None = rng.choice(in_scope) if rng.random() < 0.88 else None
    emergency = rng.random() < EMERGENCY_SHARE
    if emergency and rng.random() < 0.8:
        category = rng.choice([c for c in ("network", "phones") if c in directory.categories])
    entered_by = requester
    if rng.random() < 0.08:   # a co-worker entered it on their behalf
        entered_by = rng.choice(everyone)[0]
    summary = _fill(rng.choice(SUMMARIES[category if category in SUMMARIES else None]), rng,
                    building_code)
    if emergency:
        summary = rng.choice(["Whole building lost internet", "Whole building phones down",
                              "Power outage took down the network closet", summary])
    ticket = Ticket(
        id=plan.ticket_id, status="open", priority="emergency" if emergency else "normal",
        building=building_code, category=category, summary=summary,
        description=_fill(rng.choice(DESCRIPTIONS), rng, building_code).rstrip(),
        requester=requester, entered_by=entered_by, entered_at=entered,
        assignee=route_new_ticket(directory, building, category),
        checklist={k: True for k in CHECKLIST if rng.random() < 0.35},
    )
    count = rng.randint(1, 6)
    # The first response: usually well inside the two business days, sometimes late;
    # some open tickets have had none (only the requester asking), so they go overdue.
    unanswered = plan.open and rng.random() < 0.25
    if emergency:
        delay = rng.randint(60, 3600)
    elif rng.random() < 0.88:
        delay = rng.randint(300, cal.first_response_seconds)
    else:
        delay = rng.randint(cal.first_response_seconds, 4 * cal.first_response_seconds)
    at = add_business_seconds(cal, entered, delay)
    for number in range(count):
        if number > 0:
            gap = rng.randint(600, 3 * cal.business_day_seconds)
            at = add_business_seconds(cal, at, gap)
        if at >= now:
            # Too close to the end of the bench period: squeeze the rest in before now.
            at = min(max(ticket.notes[-1].at if ticket.notes else entered, entered)
                     + timedelta(minutes=rng.randint(1, 30)), now - timedelta(minutes=1))
        last = number == count - 1
        holder = ticket.assignee
        if unanswered or (number > 0 and rng.random() < 0.3):
            note = Note(at=at, by=requester, kind="note",
                        text=_fill(rng.choice(REQUESTER_NOTES), rng, building_code))
        elif last and not plan.open:
            closer = requester if rng.random() < 0.05 else holder
            note = Note(at=at, by=closer, kind="close", text=rng.choice(RESOLUTIONS))
        elif ticket.status == "closed":
            note = Note(at=at, by=requester if rng.random() < 0.5 else holder, kind="reopen",
                        text=rng.choice(REOPENS))
        else:
            roll = rng.random()
            if roll < 0.18 and holder not in DEPARTMENT:
                target = rng.choice([d for d in DEPARTMENT if d in staff] or [holder])
                note = Note(at=at, by=holder, kind="escalate", to=target, text=rng.choice(ESCALATIONS))
            elif roll < 0.30 and building.techs:
                note = Note(at=at, by=holder, kind="assign", to=rng.choice(building.techs),
                            text="Building tech will take it from here.")
            elif roll < 0.36 and not last and not plan.open:
                note = Note(at=at, by=holder, kind="close", text=rng.choice(RESOLUTIONS))
            else:
                note = Note(at=at, by=holder, kind="note",
                            text=_fill(rng.choice(STAFF_NOTES), rng, building_code))
        ticket = append_note(ticket, note, staff)
    if not plan.open and ticket.status != "closed":
        # A planned close that the log did not reach (a reopen was last): close it again.
        closing = min(ticket.notes[-1].at + timedelta(hours=1), now - timedelta(minutes=1))
        ticket = append_note(ticket, Note(at=max(closing, ticket.notes[-1].at), by=ticket.assignee,
                                          kind="close", text=rng.choice(RESOLUTIONS)), staff)
    if plan.open and ticket.status != "open":
        ticket = append_note(ticket, Note(at=ticket.notes[-1].at, by=requester, kind="reopen",
                                          text=rng.choice(REOPENS)), staff)
    return ticket


def render_chunk(plans: list[Plan]) -> list[tuple[int, str, bytes, float]]:
    """(index, path, file bytes, epoch of last activity) for each plan, in pcsdesk's format."""
    directory, cal = _WORKER["directory"], _WORKER["calendar"]
    out = []
    for plan in plans:
        ticket = build_ticket(plan, directory, cal, _WORKER["staff"], _WORKER["people"])
        content = dump_yaml(ticket_to_data(ticket, cal.tz)).encode("utf-8")
        last = max([ticket.entered_at, *(n.at for n in ticket.notes)])
        out.append((plan.index, ticket_path(ticket.id), content, last.timestamp()))
    return out


# ---- the main side: plan, render on every core, stream into fast-import ----

def check_texts() -> None:
    """The text pools must pass pcsdesk's own password rule, as the commands would demand."""
    pools: list[str] = [*DESCRIPTIONS, *STAFF_NOTES, *REQUESTER_NOTES, *ESCALATIONS,
                        *RESOLUTIONS, *REOPENS]
    for summaries in SUMMARIES.values():
        pools.extend(summaries)
    for text in pools:
        refuse_passwords({"text": text})


def week_of(epoch: float, tz: Any) -> date:
    day = datetime.fromtimestamp(epoch, tz).date()
    return day - timedelta(days=day.weekday())


def chunks(plans: list[Plan], size: int) -> Iterator[list[Plan]]:
    for start in range(0, len(plans), size):
        yield plans[start:start + size]


def fast_import_stream(
    weeks: dict[date, list[tuple[str, bytes]]], parent: str, tz: Any
) -> Iterator[bytes]:
    """One commit per week, holding that week's finished tickets, as `git fast-import` reads them."""
    first = True
    for week in sorted(weeks):
        files = sorted(weeks[week])
        friday = datetime(week.year, week.month, week.day, 16, 0, tzinfo=tz) + timedelta(days=4)
        stamp = f"{int(friday.timestamp())} {friday.strftime('%z')}"
        message = (f"Tickets of the week of {week}: {len(files)} entered or finished\n\n"
                   "Generated by bench/generate.py for the benchmarks.\n").encode()
        head = [
            b"commit refs/heads/main\n",
            f"author Helpdesk Bench <bench@{DOMAIN}> {stamp}\n".encode(),
            f"committer Helpdesk Bench <bench@{DOMAIN}> {stamp}\n".encode(),
            b"data %d\n" % len(message), message,
        ]
        if first:
            head.append(f"from {parent}\n".encode())
            first = False
        yield b"".join(head)
        for path, content in files:
            yield b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(content), content)
        yield b"\n"


def generate(root: Path, count: int, seed: int, jobs: int) -> None:
    started = time.monotonic()
    check_texts()
    # A repository of its own first: bench/stores/ lies inside pcsdesk's own work
    # tree, and `init` rightly refuses a folder inside another repository.
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    init_store(root, ADMIN, datetime.fromisoformat("2024-07-01T09:00:00-06:00"))
    store = Store(root)
    cal = store.calendar
    parent = store.head().commit
    store.close()
    plans = make_plans(cal, count, seed)
    print(f"planned {count} tickets ({sum(p.open for p in plans)} open) "
          f"in {time.monotonic() - started:.1f} s", file=sys.stderr)
    weeks: dict[date, list[tuple[str, bytes]]] = defaultdict(list)
    done = 0
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(str(root),)) as pool:
        for rendered in pool.map(render_chunk, chunks(plans, 500)):
            for _index, path, content, last in rendered:
                weeks[week_of(last, cal.tz)].append((path, content))
            done += len(rendered)
            if done % 10000 < 500:
                print(f"  rendered {done}/{count} in {time.monotonic() - started:.1f} s", file=sys.stderr)
    importer = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"], cwd=root, stdin=subprocess.PIPE
    )
    assert importer.stdin is not None
    for piece in fast_import_stream(weeks, parent, cal.tz):
        importer.stdin.write(piece)
    importer.stdin.write(b"done\n")
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    print(f"imported {len(weeks)} weekly commits in {time.monotonic() - started:.1f} s", file=sys.stderr)
    # The work tree and index follow the new head (the store is new: nothing to lose).
    subprocess.run(["git", "reset", "-q", "--hard", "HEAD"], cwd=root, check=True)
    print(f"checked out in {time.monotonic() - started:.1f} s", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="where to make the store (must not exist yet)")
    parser.add_argument("--tickets", type=int, required=True, help="how many tickets")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes rendering tickets (default: every core)")
    args = parser.parse_args(argv)
    if args.path.exists() and any(args.path.iterdir()):
        raise SystemExit(f"{args.path} exists and is not empty; choose a new folder")
    if args.tickets < 1:
        raise SystemExit("--tickets must be at least 1")
    generate(args.path, args.tickets, args.seed, args.jobs)


if __name__ == "__main__":
    main()
