"""No passwords in tickets: what counts as stating one, and how it is refused.

The rule's decisions in examples live in password_corpus.yaml beside this file: every
tuned example is a test case here, and the rates on both parts (tuned and held out)
must stay within issue 11's aim. The module docstring of pcsdesk.rules.passwords
explains the heuristic behind them; bench/password_rates.py prints the rates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcsdesk.errors import PcsdeskError, SecretInText
from pcsdesk.rules import passwords
from pcsdesk.rules.passwords import PasswordFinding, find_password, refuse_passwords

CORPUS = yaml.safe_load((Path(__file__).parent / "password_corpus.yaml").read_text(encoding="utf-8"))
AIM_MISSED = 0.05
AIM_WRONGLY_REFUSED = 0.02
PARTS = list(CORPUS)  # tuned, held_out, fresh


class Case:
    def __init__(self, family: str, item: Any) -> None:
        self.family = family
        self.text: str = item["text"] if isinstance(item, dict) else item
        self.gap: str | None = item.get("gap") if isinstance(item, dict) else None


def cases(part: str, label: str) -> list[Case]:
    return [Case(family, item) for family, items in CORPUS[part][label].items() for item in items]


def families(part: str, label: str) -> list[str]:
    return list(CORPUS[part][label])


def decided_by_design(part: str, label: str, family: str) -> list[str]:
    """The family's texts the rule decides right by design: every one but the listed gaps."""
    return [case.text for case in cases(part, label) if case.family == family and case.gap is None]


STATED = [case.text for case in cases("tuned", "stated") if case.gap is None]
TALK = [case.text for case in cases("tuned", "harmless") if case.gap is None]


# One test per family, listing every text it gets wrong at once (a test per text
# would be 1,000 test items, each paying the suite's per-test fixtures).
class TestStatedPasswordsAreRefused:
    @pytest.mark.parametrize("family", families("tuned", "stated"))
    def test_found(self, family: str) -> None:
        missed = [text for text in decided_by_design("tuned", "stated", family) if find_password(text) is None]
        assert missed == []

    @pytest.mark.parametrize("family", families("tuned", "stated"))
    def test_refused_as_a_note(self, family: str) -> None:
        for text in decided_by_design("tuned", "stated", family):
            with pytest.raises(SecretInText):
                refuse_passwords({"note": text})

    def test_there_are_plenty_of_examples(self) -> None:
        assert len(STATED) >= 200


class TestTalkAboutPasswordsIsAccepted:
    @pytest.mark.parametrize("family", families("tuned", "harmless"))
    def test_not_found(self, family: str) -> None:
        refused = [text for text in decided_by_design("tuned", "harmless", family)
                   if find_password(text) is not None]
        assert refused == []

    @pytest.mark.parametrize("family", families("tuned", "harmless"))
    def test_accepted_as_a_description(self, family: str) -> None:
        for text in decided_by_design("tuned", "harmless", family):
            refuse_passwords({"summary": "Chromebook will not log in", "description": text})

    def test_there_are_plenty_of_examples(self) -> None:
        assert len(TALK) >= 200


class TestCorpusRates:
    """Issue 11's aim: under 5% missed and under 2% wrongly refused, on every part."""

    @pytest.mark.parametrize("part", PARTS)
    def test_missed_rate(self, part: str) -> None:
        stated = cases(part, "stated")
        missed = [case.text for case in stated if find_password(case.text) is None]
        assert len(missed) / len(stated) < AIM_MISSED, missed

    @pytest.mark.parametrize("part", PARTS)
    def test_wrongly_refused_rate(self, part: str) -> None:
        harmless = cases(part, "harmless")
        refused = [case.text for case in harmless if find_password(case.text) is not None]
        assert len(refused) / len(harmless) < AIM_WRONGLY_REFUSED, refused

    @pytest.mark.parametrize("part", PARTS)
    def test_each_part_is_big_enough_to_measure(self, part: str) -> None:
        # Below 50 harmless texts a single wrong refusal is already 2%.
        assert len(cases(part, "stated")) >= 80
        assert len(cases(part, "harmless")) >= 100

    def test_no_text_is_in_two_places(self) -> None:
        texts = [case.text for part in PARTS for label in ("stated", "harmless")
                 for case in cases(part, label)]
        assert len(texts) == len(set(texts))

    def test_gaps_say_why(self) -> None:
        gaps = [case for label in ("stated", "harmless") for case in cases("tuned", label) if case.gap is not None]
        assert all(case.gap and len(case.gap) > 20 for case in gaps)
        assert len(gaps) <= 3


class TestFindingSaysWhere:
    def test_span_covers_keyword_and_value(self) -> None:
        text = "Printer jammed. pw: Summer2024! Thanks"
        finding = find_password(text)
        assert finding == PasswordFinding(
            start=text.index("pw"), end=text.index(" Thanks"), keyword="pw", cue="after 'pw:'", line=1
        )

    def test_keyword_is_as_written(self) -> None:
        finding = find_password("PASSWORD IS TIGER123")
        assert finding is not None
        assert finding.keyword == "PASSWORD"
        assert finding.cue == "after 'PASSWORD IS'"

    def test_line_of_a_multi_line_text(self) -> None:
        text = "Hi,\nmy laptop will not connect.\nPassword: Tiger123\n"
        finding = find_password(text)
        assert finding is not None
        assert finding.line == 3
        assert text[finding.start:finding.end] == "Password: Tiger123"

    def test_value_first(self) -> None:
        text = "FYI Tiger123 is my password"
        finding = find_password(text)
        assert finding is not None
        assert text[finding.start:finding.end] == "Tiger123 is my password"
        assert finding.cue == "before 'is my password'"

    def test_the_first_of_several(self) -> None:
        text = "pin 1234, and password: Tiger123"
        finding = find_password(text)
        assert finding is not None
        assert finding.keyword == "pin"

    def test_filler_words_are_not_in_the_cue(self) -> None:
        finding = find_password("the password for jdoe is Tiger123")
        assert finding is not None
        assert finding.cue == "after 'password for … is'"

    def test_finding_is_immutable(self) -> None:
        finding = find_password("pw: Summer2024!")
        assert finding is not None
        with pytest.raises(AttributeError):
            finding.start = 0  # type: ignore[misc]


class TestRefusalMessage:
    def test_one_line_naming_field_step_and_remedy(self) -> None:
        with pytest.raises(SecretInText) as caught:
            refuse_passwords({"description": "my password is Tiger123"})
        message = str(caught.value)
        assert message == (
            "the description seems to state a password (after 'password is'); remove it — never "
            "put passwords in a ticket (the procedure, step 2c); reset it instead"
        )

    def test_names_the_line_of_a_multi_line_text(self) -> None:
        with pytest.raises(SecretInText) as caught:
            refuse_passwords({"note": "Called the user.\nTold them the\ndoor code is 4417\n"})
        message = str(caught.value)
        assert "\n" not in message
        assert message.startswith("the note seems to state a passcode on line 3 (after 'door code is')")

    def test_is_a_user_mistake(self) -> None:
        assert issubclass(SecretInText, PcsdeskError)

    def test_first_field_holding_a_password_is_named(self) -> None:
        with pytest.raises(SecretInText, match=r"^the description "):
            refuse_passwords({"summary": "Canvas login", "description": "pw: Summer2024!",
                              "note": "PIN 4417"})

    def test_missing_and_empty_fields_are_skipped(self) -> None:
        refuse_passwords({"summary": "password expired", "description": None, "note": ""})
        refuse_passwords({})


def refusal(text: str, field: str = "note") -> str:
    with pytest.raises(SecretInText) as caught:
        refuse_passwords({field: text})
    return str(caught.value)


def disguise(secret: str) -> str:
    """Another secret of the same shape: each letter and digit moved on by one."""
    def moved(c: str) -> str:
        if c.isdigit():
            return str((int(c) + 1) % 10)
        if "a" <= c.lower() <= "y":
            return chr(ord(c) + 1)
        if c in "zZ":
            return chr(ord(c) - 25)
        return c
    return "".join(moved(c) for c in secret)


_SECRETS = st.builds(
    lambda letters, symbol, digits: f"{letters}{symbol}{digits}",
    st.text(st.sampled_from("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"), min_size=3, max_size=10),
    st.sampled_from("$%^&*+~!#"),
    st.text(st.sampled_from("0123456789"), min_size=1, max_size=5),
)
_TEMPLATES = [
    "my password is {}",
    "pw: {}",
    "Password={}",
    "login jsmith / password {}",
    "username: jdoe\npassword: {}\nthanks",
    "temp password {} until Friday",
    "the wifi password for room 12 is {}",
    "{} is my password",
    "user/pass jdoe/{}",
    "contraseña: {}",
    "Kennwort lautet {}",
    "a senha é {}",
    "mot de passe : {}",
    "passwrd: {}",
    "pass word is {}",
    "P.W. {}",
    "creds are jdoe / {}",
    "login: jdoe {}",
    "sign in with jdoe@pcschools.us and {}",
    "Her Google login: ann.lee@pcschools.us / {}",
    "the pw they gave me is {}",
    "password is the same as the wifi: {}",
    "same as the wifi: {}",
    "student passwords are all Miners + their ID, e.g. {}",
]


_MESSAGE_WORDS = set("the note seems to state a password passcode remove it never put passwords "
                      "in a ticket procedure step reset instead".split())


class TestMessageNeverEchoesSecret:
    """The message names the field, the line and the words around the secret, never the secret.

    The strongest form: the message does not depend on the secret at all, so the same
    text with another secret of the same shape gets the very same message.
    """

    @pytest.mark.parametrize("family", families("tuned", "stated"))
    def test_listed_examples(self, family: str) -> None:
        for text in decided_by_design("tuned", "stated", family):
            hit = passwords._scan(text)
            assert hit is not None, text
            message = refusal(text)
            assert "\n" not in message
            if hit.value.lower() in _MESSAGE_WORDS:
                continue  # "password is Password": the message has to say "password"
            assert hit.value.lower() not in message.lower(), text
            other = text.replace(hit.value, disguise(hit.value))
            assert refusal(other) == message, text

    @settings(deadline=None)
    @given(
        secret=_SECRETS,
        template=st.sampled_from(_TEMPLATES),
        prefix=st.sampled_from(["", "Hi, ", "Laptop in room 12 will not connect. ", "reset it\n"]),
        field=st.sampled_from(["summary", "description", "note"]),
    )
    def test_generated_credentials(self, secret: str, template: str, prefix: str, field: str) -> None:
        text = prefix + template.format(secret)
        finding = find_password(text)
        assert finding is not None
        assert secret in text[finding.start:finding.end]
        message = refusal(text, field)
        assert secret.lower() not in message.lower()
        assert "\n" not in message
        assert f"the {field} " in message

    @settings(deadline=None)
    @given(first=_SECRETS, second=_SECRETS, template=st.sampled_from(_TEMPLATES))
    def test_message_does_not_depend_on_the_secret(self, first: str, second: str, template: str) -> None:
        assert refusal(template.format(first)) == refusal(template.format(second))

    @settings(deadline=None)
    @given(code=st.text(st.sampled_from("0123456789"), min_size=4, max_size=8),
           template=st.sampled_from(["passcode {}", "PIN: {}", "the door code is {}", "my pin is {}",
                                     "Code for the copier: {}", "alarm code {}", "{} is the copier code"]))
    def test_generated_codes(self, code: str, template: str) -> None:
        message = refusal(template.format(code))
        assert code not in message
        assert message == refusal(template.format(disguise(code)))


_VOCABULARY = [
    "password", "Password", "pw", "PIN", "pass", "passcode", "code", "door", "is", "is not",
    "was", "set", "to", "for", "the", ":", "=", "->", "/", "-", "(", ")", "'", "\"", "\n", " ",
    "\t", "reset", "expired", "Tiger123", "4417", "tiger", "jdoe", "jsmith2", "username",
    "and", "my", "x5051", "****", "é", "ñ", "：", "…",
    "P.W.", "p.w", "passwrd", "pasword", "pass word", "creds", "credentials", "login", "sign in",
    "jdoe@pcschools.us", "same as", "e.g.", "like", "+", "contraseña", "clave", "senha", "Kennwort",
    "lautet", "es", "mot de passe", "combo", "24-36-12", "PW-2201", "they gave me", ",", ".", "#",
    "copier", "with", "Miners10482", "2611-7KQ3X",
]
# Fragments that make a scanner do the most work per character: keywords, connectors,
# filler and values that almost, but not quite, make a statement.
_ADVERSARIAL = [
    "password ", "pw: ", "pw", "password is the same as the ", "the pw they gave me is ",
    "jdoe@pcschools.us / ", "creds are jdoe / ", "login ", "passwords, e.g. ", "e.g. ", "same as the ",
    "passwrd ", "p.w. ", "code for the copier ", "Tiger", "123", "4417 is the ", "x" * 64 + " ",
    "a" * 200, ":" * 50, " " * 100, "@" * 30, "password" * 20, "(" * 40, "-" * 60, "\n",
]


class TestScanningIsRobustAndFast:
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text(max_size=400))
    def test_arbitrary_text_never_raises(self, text: str) -> None:
        finding = find_password(text)
        if finding is not None:
            assert 0 <= finding.start < finding.end <= len(text)
            assert finding.line == text.count("\n", 0, finding.start) + 1

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(_VOCABULARY), max_size=60).map("".join))
    def test_keyword_soup_never_raises(self, text: str) -> None:
        finding = find_password(text)
        if finding is not None:
            span = " ".join(text[finding.start:finding.end].split()).lower()
            assert finding.keyword.lower() in span
            with pytest.raises(SecretInText):
                refuse_passwords({"note": text})
        else:
            refuse_passwords({"note": text})

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(_VOCABULARY), max_size=60).map("".join))
    def test_keywords_are_found_word_by_word_as_the_pattern_finds_them(self, text: str) -> None:
        # The scan tries _KEYWORD only where a word of _KEYWORD_FIRST_WORDS begins; a
        # keyword missing from that list would be skipped silently.
        expected = [(m.start(), m.end()) for m in passwords._KEYWORD.finditer(text)]
        found = [(k.start, k.end) for _, k in passwords._words(text)
                 if k is not None and passwords._KEYWORD.match(text, k.start) is not None]
        assert found == expected

    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.sampled_from(_ADVERSARIAL), min_size=1, max_size=8))
    def test_long_adversarial_text_finishes(self, units: list[str]) -> None:
        # 64 KiB, the largest text a ticket holds, of near-misses repeated. A pattern that
        # backtracks catastrophically would hang here rather than pass; how fast the
        # rule is gets measured in bench/password_rates.py, not asserted in a test.
        unit = "".join(units)
        text = (unit * (64 * 1024 // len(unit) + 1))[:64 * 1024]
        finding = find_password(text)
        if finding is not None:
            assert 0 <= finding.start < finding.end <= len(text)
            assert refusal(text) == refusal(text)  # and the message is one line
            assert "\n" not in refusal(text)

    @pytest.mark.parametrize("unit", [
        "password ", "password: ", "pw for a b c d ", "is my password ", "password is not ",
        "username/password ", "x", "1234 ", "reset password ",
    ])
    def test_pathological_repetition_finishes(self, unit: str) -> None:
        text = unit * (64 * 1024 // len(unit))
        finding = find_password(text)
        assert finding is None or finding.keyword.lower() in text[finding.start:finding.end].lower()

    def test_patterns_are_compiled_on_first_use_not_on_import(self) -> None:
        path = Path(passwords.__file__)
        namespace: dict[str, object] = {"__name__": passwords.__name__}
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
        # The exec'd module has its own class, so isinstance() would not do.
        keyword_pattern = cast(passwords._LazyPattern, namespace["_KEYWORD"])
        assert type(keyword_pattern).__name__ == "_LazyPattern"
        assert keyword_pattern._compiled is None
