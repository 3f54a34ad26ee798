"""The no-passwords rule, measured: its error rates on the labelled corpus, and its speed.

    python bench/password_rates.py [--runs 7] [--show-held-out]

Rates: on each part of tests/rules/password_corpus.yaml (`tuned`, what the detector
was tuned against; `held_out` and `fresh`, never tuned on) it prints how many texts that state a
password the detector missed and how many harmless texts it wrongly refused, with the
misses of the tuned part listed. Held-out misses are listed only with --show-held-out:
whoever reads them is tempted to tune on them, and then the part no longer measures
anything (move such a case to `tuned` and write a fresh held-out one instead).
It also runs the rule over bench/generate.py's text pools, a third harmless set.

Speed: the rule runs on every write, on each text up to the 64 KiB a text may hold (docs/reviewing.md).
For 64 KiB texts of several kinds (ordinary ticket prose, prose dense with password
words, adversarial repetitions of keyword and connector fragments, and text with no
keyword at all) it prints the median time of one `refuse_passwords` call over --runs
runs, beside the time to serialise the same text as the store does (`dump_yaml`), the
baseline every write pays anyway.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pcsdesk.errors import SecretInText  # noqa: E402
from pcsdesk.rules.passwords import find_password, refuse_passwords  # noqa: E402
from pcsdesk.store.yamlio import dump_yaml  # noqa: E402

CORPUS = HERE.parent / "tests" / "rules" / "password_corpus.yaml"
SIZE = 64 * 1024
AIM_MISSED = 0.05
AIM_WRONGLY_REFUSED = 0.02


def entries(families: dict[str, list[Any]]) -> Iterator[tuple[str, str]]:
    """(family, text) for each entry; an entry is a text or {text:, gap:}."""
    for family, items in families.items():
        for item in items:
            yield family, item["text"] if isinstance(item, dict) else item


def rates(show_held_out: bool) -> bool:
    corpus = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    within_aim = True
    for part in corpus:
        stated = list(entries(corpus[part]["stated"]))
        harmless = list(entries(corpus[part]["harmless"]))
        missed = [(f, t) for f, t in stated if find_password(t) is None]
        refused = [(f, t) for f, t in harmless if find_password(t) is not None]
        missed_rate = len(missed) / len(stated)
        refused_rate = len(refused) / len(harmless)
        within_aim &= missed_rate < AIM_MISSED and refused_rate < AIM_WRONGLY_REFUSED
        print(f"{part:>9}: missed {len(missed):3} of {len(stated):3} stated ({missed_rate:5.1%}); "
              f"wrongly refused {len(refused):3} of {len(harmless):3} harmless ({refused_rate:5.1%})")
        if part == "tuned" or show_held_out:  # held_out and fresh only when asked
            for family, text in missed:
                print(f"           missed  [{family}] {text!r}")
            for family, text in refused:
                print(f"           refused [{family}] {text!r}")
    sys.path.insert(0, str(HERE))
    import generate  # bench/generate.py: the generated stores' texts

    pools = [*generate.DESCRIPTIONS, *generate.STAFF_NOTES, *generate.REQUESTER_NOTES,
             *generate.ESCALATIONS, *generate.RESOLUTIONS, *generate.REOPENS]
    for summaries in generate.SUMMARIES.values():
        pools.extend(summaries)
    refused_pool = [t for t in pools if find_password(t) is not None]
    print(f"bench generator texts: wrongly refused {len(refused_pool)} of {len(pools)}")
    for text in refused_pool:
        print(f"           refused {text!r}")
    print(f"aim (missed < {AIM_MISSED:.0%}, wrongly refused < {AIM_WRONGLY_REFUSED:.0%}) on every part: "
          f"{'met' if within_aim else 'NOT met'}")
    return within_aim


def fill(units: Callable[[], str]) -> str:
    parts: list[str] = []
    length = 0
    while length < SIZE:
        part = units()
        parts.append(part)
        length += len(part)
    return "".join(parts)[:SIZE]


def texts() -> dict[str, str]:
    corpus = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    harmless = [t for part in corpus for _, t in entries(corpus[part]["harmless"])]
    rng = random.Random(11)
    fragments = ["password", "pw", "pass", "word", "PIN", "code", "creds", "login", "jdoe@pcschools.us",
                 ":", "/", " ", " is ", " the ", " same as ", " for the copier ", "Tiger", "123", "!",
                 "\n", "contraseña", "senha", "p.w.", "e.g.", "+"]
    plain = "The projector in room 114 flickers when the cart is moved and the cable is loose. "
    return {
        "ticket prose": fill(lambda: rng.choice(harmless) + "\n"),
        "no keyword at all": fill(lambda: plain),
        "'password ' repeated": fill(lambda: "password "),
        "'pw: ' repeated": fill(lambda: "pw: "),
        "'password is the same as the ' repeated": fill(lambda: "password is the same as the "),
        "'jdoe@pcschools.us / ' repeated": fill(lambda: "jdoe@pcschools.us / "),
        "'a' * 64 KiB": "a" * SIZE,
        "keyword fragments at random": fill(lambda: rng.choice(fragments)),
    }


def median_seconds(call: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def refuse(text: str) -> None:
    try:
        refuse_passwords({"note": text})
    except SecretInText:
        pass


def speed(runs: int) -> None:
    refuse("warm up: compile the patterns")
    print(f"\ntime per call on a 64 KiB text, median of {runs} runs:")
    print(f"{'text':<42} {'refuse_passwords':>17} {'dump_yaml':>10} {'ratio':>6}")
    for name, text in texts().items():
        rule = median_seconds(lambda t=text: refuse(t), runs)  # type: ignore[misc]
        baseline = median_seconds(lambda t=text: dump_yaml({"text": t}), runs)  # type: ignore[misc]
        print(f"{name:<42} {rule * 1000:14.2f} ms {baseline * 1000:7.2f} ms {rule / baseline:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--show-held-out", action="store_true", help="list the held-out misses too")
    args = parser.parse_args()
    rates(args.show_held_out)
    speed(args.runs)


if __name__ == "__main__":
    main()
