"""No passwords in tickets (the procedure, step 2c): find text that *states* a password.

The rule (SPEC, "Rules from the procedure"): text that states a password or passcode is
refused; text that only talks about passwords is accepted. To state one is to write a
keyword followed, directly or after a connector, by a value that looks like a credential.
Pure functions, no I/O.

Keywords, grouped because each needs a different amount of evidence:

* password words: password(s), passwd, pwd, pw, p/w, passcode, passphrase, passkey,
  pass code, wifi/network/WPA key. The usual case.
* PIN words: PIN, PIN code/number, door/alarm/access/gate/keypad... code. "pin" and
  "code" are ordinary words ("bent pin", "error code"), so only a digit code counts
  (or letters with digits after ':' or '=').
* "pass" alone: mostly ordinary ("hall pass", "pass the test", "bus pass 2024"), so it
  needs a strong value of 6+ characters, or ':'/'=' ("user: jdoe pass: tiger").
* user and password together ("username/password: jdoe / Tiger123", "credentials:"):
  the first value is the account, the second the password.
* contraseña, Passwort, Kennwort, mot de passe: we cannot tell ordinary words in those
  languages, so only strong values count.

Connectors, in two tiers:

* explicit: ':', '=', '->', "is", "was", "'s", "is now", "is not", "set to",
  "changed to", "for <1-4 words> is/:" ("the password for the copier is 4417").
  After these the writer is giving the value, so a plain word counts too.
* weak: a space, '/', '-', "to", "as". "password expired", "password manager" are
  prose, so only a strong value counts.
* the value first: "Tiger123 is my password", "4417 is the door code" (strong only).

A value (quotes, brackets and sentence punctuation stripped) is *strong* when it is

* an all-digit code of 4+ digits (739184, 4417). Shorter numbers are too often
  counts ("password 8 characters", "pin 2"); "pass" also lets years through;
* letters mixed with digits, 4+ characters (Tiger123, hunter2, s3cret), except the
  alphanumerics ordinary in tickets: ordinals and units (2nd, 8chars, 90-day, 2FA,
  2-step), versions and products (v2, Win10, Office365, WPA2, K-12), phone
  extensions (x5051), error codes (0x80070005), rooms (B12, 12B);
* letters mixed with a symbol, 5+ characters (Blue$ky, P@ssword); '-', '.' and
  apostrophes inside words are not symbols (self-service, can't); email addresses
  and URLs are not credentials; with a '/', each part is judged on its own
  (jdoe/Tiger123 is strong; reset/change and /home/jdoe are not).

After an explicit connector a plain word counts too ("my password is tiger",
"password: correcthorsebatterystaple": people do choose words, and a word right after
"password:" is being given, not discussed) when it

* ends its clause (end of line or text, ',', ';', '.', ')', '/', "and", "but",
  "please", or another "label:"): "password: locked out" and "the password is kinda
  broken" go on as prose;
* is not in the stop list below (is, not, the, expired, wrong, same, reset, blank,
  help, weekdays, PowerSchool, Chromebook...) and has no ordinary ending (-ed, -ing,
  -ly, -tion, -ent, -al...: "password is locked / expiring / intermittent");
* is not a short all-capitals acronym (PCHS, ETS: building codes, system names).

Placeholders never count: ****, xxxx, (removed), [REDACTED], N/A.

An account named after a reset: "reset password jsmith2", "Reset password: jsmith27"
name whose password to reset, so right after "reset/change/unlock... password" (with
no "to" or "is") a value shaped like a user name (lower case letters, then at most 4
digits) or an email address does not count. "Reset password: Welcome2024!" still does.

Known gaps, accepted to keep prose usable: passwords with spaces ("Summer 2024"),
hyphenated passphrases (correct-horse-battery), 3-digit codes, plain words after a
weak connector ("password tiger"), plain words mid-sentence ("password: tiger for
the wifi"). Between two readings of a strong value the rule refuses: a technician
can rephrase, but a password once committed stays in git history.

Speed: each pattern is compiled once, on first use (compiling them all costs ~8 ms,
more than importing should), and each keyword is examined with anchored matches
only, so a scan is linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from pcsdesk.errors import SecretInText


@dataclass(frozen=True)
class PasswordFinding:
    """Where a text states a password. It never holds the value itself.

    `start`/`end` span the keyword and the value in the text (for "Tiger123 is my
    password", the value then the keyword); `keyword` is the word as written ("pw",
    "Password"); `cue` says where without the secret ("after 'password is'");
    `line` counts from 1.
    """

    start: int
    end: int
    keyword: str
    cue: str = ""
    line: int = 1


class _LazyPattern:
    """A regex compiled once, on first use.

    Every pcsdesk command imports this module; only those that write text scan any.
    """

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(text, pos)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(text)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.search(text, pos)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)


_I = re.IGNORECASE

# --- keywords ------------------------------------------------------------------------

_KEYWORD = _LazyPattern(
    r"""(?<![\w/])(?:
      (?P<combo>(?:user[ \t]?name|user[ \t]?id|user|log[ \t-]?in|log[ \t-]?on|e-?mail|account)
                [ \t]*(?:/|&|\+|and)[ \t]*
                (?:password|passcode|passwd|pwd|pw|pass))
    | (?P<password>pass(?:word|wd|code|phrase|key)s?|pass[ \t-](?:code|phrase)s?|pass-words?
                |pwd|pw|p/w|pword|wi-?fi[ \t]+key|(?:wpa[23]?|wep|network|wireless)[ \t]+key)
    | (?P<pin>pin(?:[ \t]+(?:code|number|no\.?))?
                |(?:door|alarm|access|entry|gate|lock|keypad|unlock|security)[ \t]+code)
    | (?P<pass>pass)
    | (?P<creds>credentials?|creds)
    | (?P<foreign>contrase(?:ñ|n)as?|passwort|kennwort|mot[ \t]+de[ \t]+passe)
    )(?!\w)""",
    _I | re.VERBOSE,
)
# "reset password jsmith2": the keyword follows a verb that names an account next.
_ACCOUNT_VERB = _LazyPattern(
    r"(?<!\w)(?:reset|resets|resetting|change|changing|unlock|unlocking|recover|update|sync|need|needs"
    r"|forgot|forgotten|expired|locked|lost)(?:[ \t]+[\w'’]+){0,2}[ \t]+\Z",
    _I,
)

# --- connectors (anchored at the end of the keyword) ---------------------------------

# "Password:" / "pw=" / "password ->" / "**Password:**", with an optional "(temp)"
# before the sign, and the value allowed on the next line, as in a form.
_LABEL = _LazyPattern(
    r"(?P<paren>[ \t]*\([^()\n]{1,40}\))?[*_]{0,2}[ \t]*(?P<sign>:=|[:=：]|-+>|=>|→)[*_]{0,2}"
    r"[ \t]*(?:\r?\n[ \t]*)?"
)
# "is", "was", "'s", "is now", "is:"; "is not" so that "is not Tiger123 any more"
# counts while "is not working" still fails the value test.
_IS = _LazyPattern(
    r"(?P<words>(?:['’]s|[ \t]+(?:is|are|was|were|will[ \t]+be|should[ \t]+be|would[ \t]+be))"
    r"(?:[ \t]+(?:now|still|currently|just|also|probably|actually|always|not|no[ \t]+longer))*)"
    r"(?:[ \t]*:)?[ \t]+",
    _I,
)
# "set to", "was changed to", "has been reset to", "changed over to".
_SET_TO = _LazyPattern(
    r"(?P<words>(?:[ \t]+(?:is|was|has[ \t]+been|have[ \t]+been|had[ \t]+been|got|been|will[ \t]+be))?"
    r"(?:[ \t]+(?:now|just|temporarily))?"
    r"[ \t]+(?:set|changed|reset|updated|switched)(?:[ \t]+over)?[ \t]+(?:to|as))(?:[ \t]*:)?[ \t]+",
    _I,
)
# "password for the copier is 4417", "passcode to get in: 1234": only when an explicit
# connector follows, so that "password for the copier" alone stays prose.
_FILLER = _LazyPattern(
    r"[ \t]+(?P<prep>for|to|on|of|at|in)[ \t]+[^\s:=：]{1,40}(?:[ \t]+[^\s:=：]{1,40}){0,3}?"
    r"(?=(?:[ \t]*\([^()\n]{1,40}\))?[*_]{0,2}[ \t]*(?::=|[:=：]|-+>|=>|→)"
    r"|[ \t]+(?:is|was|are|were)[ \t])",
    _I,
)
# "to"/"as" ("reset the password to Welcome1!") and the other languages' "is" (es, ist,
# est): the writer gives a value, but these are weak since they are also prose words.
_GIVES = _LazyPattern(r"(?P<words>[ \t]+(?:to|as|of|es|era|ist|war|est|était))[ \t]+", _I)
# A space, a slash, a dash.
_WEAK = _LazyPattern(r"(?P<words>[ \t]*/[ \t]*|[ \t]*(?:-{1,2}|–|—)[ \t]*|[ \t]+)")

_TOKEN = _LazyPattern(r"\S{1,128}")
# "username/password: jdoe / Tiger123": between the account and the password.
_PAIR_SEPARATOR = _LazyPattern(r"[ \t]*[/,;|][ \t]*|[ \t]+")

# "Tiger123 is my password", "4417 is the door code".
_VALUE_FIRST = _LazyPattern(
    r"(?<!\S)(?P<value>\S{4,64})[ \t]+(?P<words>(?:is|was|as|=|will[ \t]+be)[ \t]+"
    r"(?:(?:my|the|our|your|his|her|their|a|an)[ \t]+)?"
    r"(?:(?:new|temp|temporary|current|old|default|initial|wi-?fi|network|email|computer|account"
    r"|login|door|alarm|copier)[ \t]+)?)"
    r"(?P<keyword>passwords?|passcodes?|passwd|pwd|pw|pin|passphrase|code)(?!\w)",
    _I,
)

# --- values --------------------------------------------------------------------------

_LEADING = "\"'“”‘’«»`([{<*_#@"
_TRAILING = "\"'“”‘’«»`)]}>*_.,;:!?"
_CLAUSE_PUNCTUATION = ",;.!?)"
# What follows a value that ends its clause: end of line or text, punctuation, a
# conjunction or courtesy word, or another "label:" ("pw: tiger user: jdoe").
_CLAUSE_END = _LazyPattern(
    r"[ \t]*(?:\r?\n|\Z|[,;.!?()\[\]/|—–]|-[ \t])"
    r"|[ \t]+(?:and|or|but|so|then|thanks|thank|thx|please|pls|because|if|which|when|since)\b"
    r"|[ \t]+[^\s:=]{1,40}[ \t]*[:=]",
    _I,
)
_EMAIL_OR_URL = _LazyPattern(r"[^@\s/]+@[^@\s/]+\.[a-z]{2,}|(?:https?|ftp)://\S+|www\.\S+", _I)
_USERNAME = _LazyPattern(r"[a-z][a-z._-]*\d{0,4}")
# Letters-with-digits tokens that are ordinary in a helpdesk ticket.
_ORDINARY_ALNUM = _LazyPattern(
    r"""\d+(?:st|nd|rd|th)                                          # ordinals: 1st, 22nd
    | \d+[-+]?(?:x|k|am|pm|h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?|d|days?|wks?|weeks?
          |mos?|months?|yrs?|years?|chars?|characters?|digits?|letters?|numbers?|times?
          |tries|attempts?|steps?|factor|fa|sv|gb|mb|kb|tb|ghz|mhz|g|in|ft|%)   # units: 90-day, 2FA
    | x\d{2,6} | ext\.?\d+                                         # phone extensions: x5051
    | 0x[0-9a-f]+                                                  # error codes
    | v\d+(?:\.\d+)*                                               # versions
    | 802\.1[1x][a-z]{0,2}
    | (?:win(?:dows)?|office|ios|ipados|macos|android|m|o|wpa|ipv|chrome(?:os)?|server|ie|ps
        |covid|mp|h|usb|hdmi|rm|room|grade|gr|period|pd|bus|k|sy|fy)-?\d+[a-z]?  # products
    | [a-z]-?\d{1,3} | \d{1,3}-?[a-z]                              # rooms and seats: B12, 12B
    """,
    _I | re.VERBOSE,
)
# Ordinary word endings: "password is locked / expiring / temporarily / required".
_ORDINARY_ENDING = _LazyPattern(
    r"(?:ed|ing|ly|tion|sion|ment|ness|able|ible|ful|less|ance|ence|ity|ous|ive|ize|ise|ware"
    r"|ent|ant|ary|ory|ish|est|al|atic|amic|stic)\Z"
)
_YEAR = _LazyPattern(r"(?:19|20)\d\d")

# Ordinary words that follow "password:" / "password is" in prose (lower case).
_ORDINARY_WORDS = frozenset(
    """
    a an the my your his her its our their this that these those it i me you he she we
    they them mine yours hers ours theirs someone something anything nothing everything
    same other another some any none no not never also still just only already again too
    very so now then here there what which who whom whose why how when where whatever
    yes yeah nope ok okay alright true false null nil na tbd tba unknown unset idk dunno
    is are was were be been being am has have had do does did can could will would should
    must may might shall need needs keep keeps ask asks work works go goes get gets got
    see call tell let try say says said make makes give gives take takes show shows
    expire expires reset resets wrong incorrect invalid valid bad good fine great correct
    right weak strong short long old new temporary temp current default standard usual
    normal original previous different required needed missing lost forgot forgotten
    blank empty locked unlocked disabled enabled changed broken stuck hidden written
    given taken chosen stolen known shown seen done gone set sent sensitive case secure
    insecure safe unsafe ready available active inactive due mandatory optional necessary
    unique simple complex easy hard tricky similar permanent personal universal common
    generic random weird strange odd funny slow off up down out back stale buggy glitchy
    corrupt compromised leaked hacked outdated obsolete dead complete incomplete success
    partial pass fail fails failure clear unclear obvious sure unsure certain uncertain
    real fake legit accurate inaccurate adequate inadequate appropriate inappropriate
    separate sporadic flaky spotty wonky janky borked fishy sketchy
    removed redacted withheld omitted unchanged masked private secret confidential
    help issue issues problem problems question questions request error errors trouble
    urgent asap important emergency support access lockout lockouts unlock sync renew
    prompt prompts popup dialog box field screen page link links email emails policy
    policies rule rules requirement requirements manager managers change changes update
    updates recovery reminder hint hints attached attachment below above following
    enclosed included inside outside
    for to on in at of from by with without about after before during since until into
    over under via as per like than and or but if because comply fix allow meet match
    please thanks thank hello hi hey dear sorry mr mrs ms miss dr
    account accounts login logins logon signin username user users id badge
    pin code key door alarm passcode passwd pwd pw pass
    computer computers laptop laptops desktop chromebook chromebooks ipad ipads iphone
    phone phones printer printers copier copiers scanner projector device devices
    monitor keyboard mouse camera voicemail wifi network internet server portal system
    website site app apps browser chrome
    google gmail outlook microsoft office windows mac macos chromeos apple appleid canvas
    zoom teams schoology seesaw clever classlink skyward powerschool powerteacher infinite
    campus naviance synergy destiny goguardian onedrive sharepoint powerpoint youtube
    facetime macbook linkedin smartboard classdojo brainpop onenote papercut airdrop
    airplay github schoolmessenger parentsquare securly lightspeed adobe frontline aesop
    kronos timeclock noredink edpuzzle flipgrid nearpod peardeck quickbooks overdrive
    wevideo screencastify viewsonic lastpass docusign surveymonkey anyconnect mcafee
    district school schools student students teacher teachers staff admin administrator
    principal secretary substitute sub guest parent parents room building classroom
    library
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    tonight morning afternoon evening week weekend month year
    january february march april may june july august september october november december
    """.split()
)
_PLACEHOLDERS = frozenset({"n/a", "na", "tbd", "none", "null", "removed", "redacted", "hidden"})
_MASK_CHARACTERS = frozenset("*xX•●·#.-_?")


def _strip(token: str) -> str:
    return token.lstrip(_LEADING).rstrip(_TRAILING)


def _is_placeholder(value: str) -> bool:
    # ****, xxxxxx, ••••, (removed): a masked value is exactly what people should write.
    return value.lower() in _PLACEHOLDERS or set(value) <= _MASK_CHARACTERS


def _is_digit_code(value: str) -> bool:
    return value.isdecimal() and len(value) >= 4


def _is_strong(value: str, min_length: int = 4) -> bool:
    """A value that looks like a credential whatever words surround it."""
    if not value or _is_placeholder(value) or _EMAIL_OR_URL.fullmatch(value):
        return False
    if "/" in value:
        # jdoe/Tiger123 is a pair; reset/change and /home/jdoe are not credentials.
        return any(_is_strong(_strip(part), min_length) for part in value.split("/"))
    if _is_digit_code(value):
        return True
    if len(value) < min_length:
        return False
    has_letter = any(c.isalpha() for c in value)
    has_digit = any(c.isdigit() for c in value)
    if has_letter and has_digit:
        return _ORDINARY_ALNUM.fullmatch(value) is None
    # '-', '.' and apostrophes join ordinary words (self-service, e.g., can't).
    has_symbol = any(not c.isalnum() and c not in "-.'’" and not c.isspace() for c in value)
    return has_letter and has_symbol and len(value) >= max(min_length, 5)


def _is_stated_word(value: str, ends_clause: bool) -> bool:
    """A plain word given as the value after an explicit connector ("password: tiger")."""
    if not ends_clause or not value.isalpha() or len(value) < 3:
        return False
    lowered = value.lower()
    if lowered in _ORDINARY_WORDS:
        return False
    if value.isupper() and len(value) <= 5:  # acronyms: PCHS, ETS, NOC
        return False
    return not (len(lowered) >= 5 and _ORDINARY_ENDING.search(lowered))


class _Value(NamedTuple):
    clean: str  # quotes, brackets and sentence punctuation stripped
    start: int
    end: int
    ends_clause: bool


def _value_at(text: str, pos: int) -> _Value | None:
    match = _TOKEN.match(text, pos)
    if match is None:
        return None
    raw = match.group()
    ends_clause = (raw.rstrip("\"'“”‘’»`*_")[-1:] in _CLAUSE_PUNCTUATION
                   or _CLAUSE_END.match(text, match.end()) is not None)
    return _Value(_strip(raw), match.start(), match.end(), ends_clause)


# --- scanning ------------------------------------------------------------------------


class _Hit(NamedTuple):
    finding: PasswordFinding
    value: str  # kept inside this module, only to check the message never repeats it
    noun: str


class _Connector(NamedTuple):
    cue: str  # the connector as written, any free text in it replaced by "…"
    value_start: int
    explicit: bool  # ':', '=', "is", "set to"...: a plain word after it is a value
    label: bool  # ':', '=', '->': a form-like "name: value"
    gives: bool  # "is", "to", "set to": the value is the password, not an account


def _connectors(text: str, pos: int) -> Iterator[_Connector]:
    """Each way the text may go on from a keyword that ends at `pos`."""
    label = _LABEL.match(text, pos)
    if label:
        paren = " (…)" if label.group("paren") else ""
        yield _Connector(f"{paren}{label.group('sign')}", label.end(), True, True, False)
    for pattern in (_SET_TO, _IS):
        match = pattern.match(text, pos)
        if match:
            yield _Connector(" " + " ".join(match.group("words").split()), match.end(), True, False, True)
    filler = _FILLER.match(text, pos)
    if filler:
        lead = f" {filler.group('prep')} …"
        after = _LABEL.match(text, filler.end())
        if after:
            yield _Connector(f"{lead}{after.group('sign')}", after.end(), True, True, True)
        else:
            after = _IS.match(text, filler.end())
            if after:
                words = " ".join(after.group("words").split())
                yield _Connector(f"{lead} {words}", after.end(), True, False, True)
    gives = _GIVES.match(text, pos)
    if gives:
        yield _Connector(" " + gives.group("words").strip(), gives.end(), False, False, True)
    weak = _WEAK.match(text, pos)
    if weak:
        words = " ".join(weak.group("words").split())
        yield _Connector(f" {words}" if words else "", weak.end(), False, False, False)


def _judge(kind: str, value: _Value, connector: _Connector) -> bool:
    clean, explicit, label = value.clean, connector.explicit, connector.label
    if kind == "password":
        return _is_strong(clean) or (explicit and not _is_placeholder(clean)
                                     and _is_stated_word(clean, value.ends_clause))
    if kind == "pin":
        # "bent pin", "error code": only a number, or letters with digits after ':'/'='.
        return _is_digit_code(clean) or (label and _is_strong(clean))
    if kind == "pass":
        if label:
            if _is_digit_code(clean):
                return _YEAR.fullmatch(clean) is None  # "bus pass: 2024"
            return _is_strong(clean) or _is_stated_word(clean, value.ends_clause)
        return not _is_digit_code(clean) and _is_strong(clean, min_length=6)
    return _is_strong(clean)  # other languages: only strong values


def _names_account(text: str, keyword_start: int, value: _Value, connector: _Connector) -> bool:
    """"reset password jsmith2": the value names whose password, it does not state one."""
    if connector.gives or not (_USERNAME.fullmatch(value.clean) or _EMAIL_OR_URL.fullmatch(value.clean)):
        return False
    return _ACCOUNT_VERB.search(text[max(0, keyword_start - 60):keyword_start]) is not None


def _scan_keyword(text: str, match: re.Match[str]) -> _Hit | None:
    kind = match.lastgroup or "password"
    keyword = " ".join(match.group().split())
    for connector in _connectors(text, match.end()):
        if kind == "creds" and not connector.label:
            continue  # "credentials expired", "creds for the wifi"
        value = _value_at(text, connector.value_start)
        if value is None:
            continue
        stated: _Value | None = None
        if kind in {"combo", "creds"}:
            # The first value names the account; the password is the one after it.
            if "/" in value.clean:
                account, _, rest = value.clean.partition("/")
                pair = _Value(_strip(rest), value.start + len(account) + 1, value.end, value.ends_clause)
                stated = value if _judge("password", pair, connector) else None
            else:
                separator = _PAIR_SEPARATOR.match(text, value.end)
                second = _value_at(text, separator.end()) if separator else None
                if second is not None and _judge("password", second, connector):
                    stated = second
        elif _judge(kind, value, connector) and not _names_account(text, match.start(), value, connector):
            stated = value
        if stated is not None:
            noun = "passcode" if kind == "pin" or "code" in keyword.lower() else "password"
            finding = PasswordFinding(
                start=match.start(),
                end=stated.end,
                keyword=keyword,
                cue=f"after '{keyword}{connector.cue}'",
                line=text.count("\n", 0, match.start()) + 1,
            )
            return _Hit(finding, stated.clean, noun)
    return None


def _scan_value_first(text: str) -> _Hit | None:
    for match in _VALUE_FIRST.finditer(text):
        value = _strip(match.group("value"))
        if _is_strong(value):
            keyword = match.group("keyword")
            words = " ".join(match.group("words").split())
            finding = PasswordFinding(
                start=match.start("value"),
                end=match.end(),
                keyword=keyword,
                cue=f"before '{words} {keyword}'",
                line=text.count("\n", 0, match.start()) + 1,
            )
            noun = "passcode" if "code" in keyword.lower() or keyword.lower() == "pin" else "password"
            return _Hit(finding, value, noun)
    return None


def _scan(text: str) -> _Hit | None:
    first: _Hit | None = None
    for match in _KEYWORD.finditer(text):
        first = _scan_keyword(text, match)
        if first is not None:
            break
    value_first = _scan_value_first(text)
    if value_first is not None and (first is None or value_first.finding.start < first.finding.start):
        return value_first
    return first


def find_password(text: str) -> PasswordFinding | None:
    """The first place where `text` states a password or passcode, or None."""
    hit = _scan(text)
    return hit.finding if hit else None


def refuse_passwords(fields: Mapping[str, str | None]) -> None:
    """Raise SecretInText for the first field whose text states a password.

    `fields` maps a field name ("summary", "description", "note") to its text; None and
    empty texts are skipped. The message is one line, names the field (and the line of
    a multi-line text), says what to do, and never repeats the value.
    """
    for field, text in fields.items():
        if not text:
            continue
        hit = _scan(text)
        if hit is None:
            continue
        finding = hit.finding
        where = f" on line {finding.line}" if "\n" in text.strip() else ""
        cue = f" ({finding.cue})"
        if hit.value.lower() in cue.lower():  # never echo the secret, even by accident
            cue = ""
        message = (
            f"the {field} seems to state a {hit.noun}{where}{cue}; remove it — never put "
            f"passwords in a ticket (the procedure, step 2c); reset it instead"
        )
        raise SecretInText(" ".join(message.split()))
