"""A demo store: a handful of realistic tickets, a listing, and the overdue report.

Run it from the README's quick start. The store is kept, so you can try pcsdesk in it
afterwards: in the folder you name (`scripts/demo.py ~/pcsdesk-demo`), else in a new
`pcsdesk-demo-*` folder under the system's temporary folder. The last lines say where
it is and how to remove it.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ETS = "ets.pchs@pcschools.us"
TEACHER = "jsmith@pcschools.us"

# (when, who, arguments): a Monday and Tuesday after Thanksgiving at Park City High.
STEPS: list[tuple[str, str, list[str]]] = [
    ("2026-11-25T14:30", TEACHER, ["new", "--building", "PCHS", "--category", "av",
                                    "--summary", "Projector in room 204 shows no signal",
                                    "--description", "Laptop shows the desktop; projector says No Input.\n"
                                    "Tried a second HDMI cable.", "--checked", "cables", "--checked", "restart"]),
    ("2026-11-30T07:40", "aide.tmjh@pcschools.us", ["new", "--building", "TMJH", "--requester",
                                                     "mgarcia@pcschools.us", "--category", "printing",
                                                     "--summary", "Library printer jams on every job"]),
    ("2026-11-30T08:05", "coach@pcschools.us", ["new", "--building", "EHMS", "--category", "network",
                                                 "--summary", "Gym Wi-Fi drops every few minutes"]),
    ("2026-11-30T09:10", ETS, ["new", "--building", "PCHS", "--category", "phones", "--emergency",
                               "--summary", "Front office phones have no dial tone"]),
    ("2026-11-30T09:30", "teacher.tes@pcschools.us", ["new", "--building", "TES", "--category", "email",
                                                       "--summary", "Please reset my password for email"]),
]


def pcsdesk(store: Path, who: str, when: str, args: list[str]) -> str:
    env = {**os.environ, "PCSDESK_STORE": str(store), "PCSDESK_USER": who, "PCSDESK_NOW": when}
    result = subprocess.run([sys.executable, "-m", "pcsdesk", *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"demo failed at `pcsdesk {' '.join(args)}`:\n{result.stderr}")
    return result.stdout


def show(store: Path, when: str, args: list[str]) -> None:
    print(f"\n$ pcsdesk {' '.join(args)}        # PCSDESK_NOW={when}")
    print(pcsdesk(store, ETS, when, args), end="")


def main() -> None:
    if len(sys.argv) > 1:
        store = Path(sys.argv[1]).resolve()
        folder = store
    else:
        # Kept, not removed at the end: the store is there to be tried. A folder of its
        # own, named for what it is, so removing it removes nothing else.
        folder = Path(tempfile.mkdtemp(prefix="pcsdesk-demo-"))
        store = folder / "helpdesk"
    pcsdesk(store.parent, ETS, "2026-11-01T08:00", ["init", str(store)])
    ids = [pcsdesk(store, who, when, args).split()[0] for when, who, args in STEPS]
    pcsdesk(store, ETS, "2026-11-30T10:15", ["note", ids[1], "-m", "Cleared a jam; ordering a roller kit."])
    # The phones ticket went straight to Phone Systems (its category routes it there), so
    # the ETS adds what they found rather than handing it to the team that holds it.
    pcsdesk(store, ETS, "2026-11-30T11:00", ["note", ids[3],
                                              "-m", "Whole front office; handsets show 'No service'."])
    pcsdesk(store, "phones@pcschools.us", "2026-11-30T12:30", ["close", ids[3], "-m",
                                                               "PoE switch in the MDF rebooted; tones back."])
    print(f"Demo store: {store}  ({len(ids)} tickets entered, a few worked on)")
    show(store, "2026-12-01T15:30", ["list"])
    show(store, "2026-12-01T15:30", ["overdue"])
    show(store, "2026-12-01T15:30", ["show", ids[0]])
    beside = Path(sys.executable).with_name("pcsdesk")     # the virtual environment's, if any
    command = shlex.quote(str(beside)) if beside.exists() else "pcsdesk"
    print(f"\nThe demo store is kept in {store}; try it there:\n"
          f"  cd {shlex.quote(str(store))} && {command} list --status all\n"
          f"Remove it when done:\n  rm -rf {shlex.quote(str(folder))}")


if __name__ == "__main__":
    main()
