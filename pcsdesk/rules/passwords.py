"""No passwords in tickets (the procedure, step 2c): find text that *states* a password.

The rule (docs/procedure.md, "Never a password"): text that states a password or passcode is
refused; text that only talks about passwords is accepted. To state one is to write a
keyword followed, directly or after a connector, by a value that looks like a credential.
Pure functions, no I/O. How well it does is measured on the labelled corpus in
tests/rules/password_corpus.yaml (bench/password_rates.py prints the rates).

Keywords, grouped because each needs a different amount of evidence:

* password words: password(s), passwd, pwd, pw, p/w, P.W., pass word, p-word, pswd,
  passcode, passphrase, passkey, pass code, wifi/network/WPA key; and any word within
  one typing slip of password/passcode/passwort (passwrd, pasword, passowrd: a letter
  left out, added, changed or two swapped). The usual case.
* PIN words: PIN, PIN code/number, door/alarm/copier/keypad/lockbox/print release...
  code, combo, combination, código. "pin" and "code" are ordinary words ("bent pin",
  "error code"), so only a digit code counts (#4417 and 1357# too; a combination like
  24-36-12 after combo/combination or an explicit connector), or letters with digits
  after ':' or '='. "code" alone also needs an explicit connector ("Code for the
  copier: 5521"), and never counts after error/zip/QR/class/verification...
* "pass" alone: mostly ordinary ("hall pass", "pass the test", "bus pass 2024"), so it
  needs a strong value of 6+ characters, or ':'/'=' ("user: jdoe pass: tiger").
* user and password together ("username/password: jdoe / Tiger123", "credentials:"):
  the first value is the account, the second the password.
* accounts: creds, credentials, login, log in, sign in, account, user(name), followed
  by an account (a user name or an email address) and then a strong value: "creds are
  jdoe / Spring!24", "Login: kpatel Sunset2025". A space alone between account and value
  needs a value with a symbol unless the writer gave the account ("login:", "creds
  are"), since "user ordered HP305 ink" is ordinary.
* an email address followed by a strong value, as above: "sign in with
  jdoe@pcschools.us and Maple#2025", "ann.lee@pcschools.us / Quokka2024".
* other languages: contraseña, clave, senha, palavra-passe, Passwort, Kennwort, mot de
  passe, mdp, wachtwoord, hasło, пароль, 密码, mật khẩu. We cannot tell ordinary words in
  those languages, so only strong values count; their "is" (es, é, ist, lautet, est, è)
  connect like "to".

Connectors, in tiers:

* explicit: ':', '=', '->', "is", "was", "'s", "is now", "is not", "set to",
  "changed to", "for <1-4 words> is/:" ("the password for the copier is 4417").
  After these the writer is giving the value, so a plain word counts too.
* weak: a space, '/', a spaced dash, ', ', '. ', "to", "as". "password expired",
  "password manager" are prose, so only a strong value counts. A hyphen that joins
  ("PW-2201", a printer model) is no connector, and a number followed by a printer
  word ("PW 2201 toner low") is a model.
* loose: up to six free words, then an explicit connector: "the pw they gave me is
  Koala88", "password is the same as the wifi: Miners2026", "la contraseña del correo:
  Pinos#88"; or a place ("for the copier", "de la alarma") then the value. Only strong
  values count after these, and not a user name or, without a connector, a bare ID
  ("password for student 104821 is expired").
* the value first: "Tiger123 is my password", "5521 which is the copier code".
* an example of a pattern: a password word, then within the line "e.g.", "for
  example", "like", "such as", "so" and a strong value: "student passwords are all
  Miners + their ID, e.g. Miners10482".
* "same as <up to 4 words>:" and a strong value: "same as the wifi: Miners2026".

A value (quotes, brackets and sentence punctuation stripped) is *strong* when it is

* an all-digit code of 4+ digits (739184, 4417). Shorter numbers are too often
  counts ("password 8 characters", "pin 2"); "pass" also lets years through;
* letters mixed with digits, 4+ characters (Tiger123, hunter2, s3cret), except the
  alphanumerics ordinary in tickets: ordinals and units (2nd, 8chars, 90-day, 2FA,
  2-step), versions and products (v2, Win10, Office365, WPA2, K-12, 1Password), phone
  extensions (x5051), error codes (0x80070005), rooms (B12, 12B), ticket IDs
  (2611-7KQ3X), and models in capitals with a hyphen (PW-2201, PCSD-04417);
* letters mixed with a symbol, 5+ characters (Blue$ky, P@ssword); '-', '.' and
  apostrophes inside words are not symbols (self-service, can't); email addresses
  and URLs are not credentials; with a '/', each part is judged on its own
  (jdoe/Tiger123 is strong; reset/change and /home/jdoe are not).

After an explicit connector a plain word counts too ("my password is tiger",
"password: correcthorsebatterystaple": people do choose words, and a word right after
"password:" is being given, not discussed) when it

* ends its clause (end of line or text, ',', ';', '.', ')', '/', "and", "but",
  "please", or another "label:"): "password: locked out" and "the password is kinda
  broken" go on as prose; a word and a number ending the clause count together
  ("password: Falcon 2024");
* is not in the stop list below (is, not, the, expired, wrong, same, reset, blank,
  help, weekdays, PowerSchool, Chromebook...) and has no ordinary ending (-ed, -ing,
  -ly, -tion, -ent, -al...: "password is locked / expiring / intermittent");
* is not a short all-capitals acronym (PCHS, ETS: building codes, system names).

Placeholders never count: ****, xxxx, (removed), [REDACTED], N/A.

An account named after a reset: "reset password jsmith2", "Reset password: jsmith27"
name whose password to reset, so right after "reset/change/unlock... password" (with
no "to" or "is") a value shaped like a user name (lower case letters, then at most 4
digits) or an email address does not count. "Reset password: Welcome2024!" still does.

Known gaps, accepted to keep prose usable: a password with no password word at all
("the one they gave me is Wombat#3"), hyphenated passphrases (correct-horse-battery),
3-digit codes, plain words after a weak connector ("password tiger"), plain words
mid-sentence ("password: tiger for the wifi"), a lower-case user-name-shaped value
after an address ("jdoe@pcschools.us jdoe2" reads as two accounts). Between two
readings of a strong value the rule refuses: a technician can rephrase, but a
password once committed stays in git history.

Speed (the rule runs on every write, on texts up to 64 KiB): each pattern is compiled
once, on first use (compiling them all costs ~10 ms, more than importing should); a
text with no word a statement can begin with is recognised from its set of words;
otherwise one pass goes word by word, tries the keyword pattern only where a keyword
can begin, and examines each keyword with anchored matches or searches bounded to a
few words ahead, so a scan is linear in the text. bench/password_rates.py times it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
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

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = compiled = re.compile(self._source, self._flags)
            # From now on calls go straight to the compiled pattern: the scan calls
            # these a few dozen times per keyword, and the indirection cost a third.
            self.match = compiled.match  # type: ignore[method-assign,assignment]
            self.fullmatch = compiled.fullmatch  # type: ignore[method-assign,assignment]
            self.search = compiled.search  # type: ignore[method-assign,assignment]
            self.finditer = compiled.finditer  # type: ignore[method-assign,assignment]
            self.findall = compiled.findall  # type: ignore[method-assign,assignment]
        return self._compiled

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(text, pos, endpos)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(text)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text, pos, endpos)

    def findall(self, text: str) -> list[str]:
        return self.compiled.findall(text)


_I = re.IGNORECASE

# --- keywords ------------------------------------------------------------------------

_KEYWORD = _LazyPattern(
    r"""(?<![\w/.])(?:
      (?P<combo>(?:user[ \t]?name|user[ \t]?id|user|log[ \t-]?in|log[ \t-]?on|e-?mail|account)
                [ \t]*(?:/|&|\+|and)[ \t]*
                (?:password|passcode|passwd|pwd|pw|pass))
    | (?P<password>pass(?:word|wd|code|phrase|key)s?|pass[ \t-](?:code|phrase|word)s?
                |pwd|pw|p/w|pword|p[ \t-]word|p\.[ \t]?w\.?|pswd|pswrd|psswd|paswd|pwrd|passw
                |wi-?fi[ \t]+key|(?:wpa[23]?|wep|network|wireless)[ \t]+key)
    | (?P<pin>pin(?:[ \t]+(?:code|number|no\.?))?
                |(?:door|alarm|access|entry|gate|lock|keypad|unlock|security|copier|printer|print|release
                   |user|key|lockbox|elevator|garage|closet|disarm|building|office|voicemail|phone)[ \t]+code
                |combo|combination|c[oó]digo)
    | (?P<code>code)
    | (?P<pass>pass)
    | (?P<creds>credentials?|creds)
    | (?P<account>login(?:[ \t]+info)?|log[ \t-]in|logon|log[ \t]on|sign[ \t-]?in|sign[ \t-]?on
                |account|user(?:[ \t]?name)?)
    | (?P<foreign>contrase(?:ñ|n)as?|claves?|senhas?|palavra-passe|passwort|kennwort|mot[ \t]+de[ \t]+passe
                |mdp|wachtwoord|has(?:ł|l)o|пароль|密码|mật[ \t]+khẩu|mat[ \t]+khau)
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
_GIVES = _LazyPattern(
    r"(?P<words>[ \t]+(?:to|as|of|es|era|é|è|ist|war|lautet|est|était|são|sind|is))[ \t]+", _I
)
# A space, a slash, a spaced dash, a comma or full stop and a space. A hyphen that
# joins ("PW-2201", the printer model) is not a connector.
_WEAK = _LazyPattern(
    r"(?P<words>[ \t]*/[ \t]*|[ \t]+(?:-{1,2}|–|—)[ \t]*|(?:--|–|—)[ \t]*|-[ \t]+|[.,][ \t]+|[ \t]+)"
)
# "the pw they gave me is Koala88", "password is the same as the wifi: Miners2026",
# "la contraseña del correo: Pinos#88": up to six words of any kind between the keyword
# and an explicit connector. Looser than _FILLER, so only a strong value counts after it.
_LONG_FILLER_WORDS = 6
# Up to six words: where the connector must be found.
_SIX_WORDS = _LazyPattern(r"(?:[ \t]+[^\s]{1,64}){1,6}[ \t]*")
# The connectors after such words: a sign, or a verb between spaces; then the value.
# Every branch begins with one of a few characters, which lets the search skip ahead.
_LOOSE_SIGN = _LazyPattern(
    r"(?:(?P<sign>:=|[:=：→]|-+>|=>)|[ \t](?P<verb>is|was|are|were|says|said|reads|es|era|é|è|ist|lautet|est)"
    r"(?=[ \t]))[*_]{0,2}[ \t]+",
    _I,
)
# "student passwords are all Miners + their ID, e.g. Miners10482": an example of the
# pattern is a password, within a line's reach of the keyword.
_EXAMPLE = _LazyPattern(
    r"(?P<marker>e\.?g\.?|i\.e\.|for[ \t]+example|for[ \t]+instance|example|ex\.|such[ \t]+as|like|so)"
    r"(?:[ \t]*[:,])?[ \t]+",
    _I,
)
_EXAMPLE_WORDS = frozenset("e eg i for example ex such like so".split())
_EXAMPLE_REACH = 120
# "same as the wifi: Miners2026": a password given by what it is the same as.
_SAME_AS = _LazyPattern(
    r"(?<!\w)same[ \t]+(?:password[ \t]+|pw[ \t]+|code[ \t]+)?as[ \t]+(?:[^\s:=,]{1,30}[ \t]+){0,3}?[^\s:=,]{1,30}"
    r"(?P<sign>[ \t]*(?:[:=,]|[ \t]-{1,2}|–|—))[ \t]*",
    _I,
)
# "sign in with jdoe@pcschools.us and Maple#2025", "ann.lee@pcschools.us / Quokka2024".
_EMAIL = _LazyPattern(r"(?<![\w.+'-])[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# Between an account and its password.
_ACCOUNT_SEPARATOR = _LazyPattern(
    r"[ \t]*(?:[/,;|:]|-{1,2}|–|—)[ \t]*|[ \t]+(?:and|with|&|\+)[ \t]+|[ \t]+"
)
# Between "login"/"creds" and the account: "login: jdoe", "creds are jdoe", "sign in with".
_ACCOUNT_LEAD = _LazyPattern(
    r"(?:[ \t]*(?:[:=：]|-+>)|[ \t]+(?:is|are|was|were|=))?(?:[ \t]+(?:with|as|using))?[ \t]*(?:\r?\n[ \t]*)?",
    _I,
)
# "error code", "zip code": the ordinary codes, never a passcode.
_ORDINARY_CODE = _LazyPattern(
    r"(?:error|status|zip|postal|area|country|product|class|classroom|qr|bar|source|dress|promo|discount"
    r"|tracking|reference|course|item|exit|fault|return|response|html|java|python|morse|color|colour"
    r"|join|meeting|sample|promotion|coupon|gift|activation|license|licence|product|serial|redemption"
    r"|verification|confirmation|2fa|mfa|otp|one-time|authenticator|backup|recovery)[ \t]+\Z",
    _I,
)

_TOKEN = _LazyPattern(r"\S{1,128}")
# "username/password: jdoe / Tiger123": between the account and the password.
_PAIR_SEPARATOR = _LazyPattern(r"[ \t]*[/,;|:][ \t]*|[ \t]+")

# "Tiger123 is my password", "4417 is the door code".
_VALUE_FIRST = _LazyPattern(
    r"(?<!\S)(?P<value>\S{4,64})[ \t]+(?P<words>(?:(?:which|that)[ \t]+)?(?:is|was|as|=|will[ \t]+be)[ \t]+"
    r"(?:(?:my|the|our|your|his|her|their|a|an)[ \t]+)?"
    r"(?:(?:new|temp|temporary|current|old|default|initial|wi-?fi|network|email|computer|account"
    r"|login|door|alarm|copier|printer|keypad|gate|lockbox|user|print|voicemail)[ \t]+)?)"
    r"(?P<keyword>passwords?|passcodes?|passwd|pwd|pw|pin|passphrase|code|combo|combination)(?!\w)",
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
    | \d{4}-[0-9a-z]{5}                                            # ticket IDs: 2611-7KQ3X
    | 1password | o365 | m365
    """,
    _I | re.VERBOSE,
)
# Ordinary word endings: "password is locked / expiring / temporarily / required".
_ORDINARY_ENDING = _LazyPattern(
    r"(?:ed|ing|ly|tion|sion|ment|ness|able|ible|ful|less|ance|ence|ity|ous|ive|ize|ise|ware"
    r"|ent|ant|ary|ory|ish|est|al|atic|amic|stic)\Z"
)
_YEAR = _LazyPattern(r"(?:19|20)\d\d")
# Printer and asset models, in capitals: PW-2201, AP7-B75, PCSD-04417 (case matters).
_MODEL = _LazyPattern(r"[A-Z]{1,5}\d{0,2}-[A-Z]{0,2}\d{2,6}[A-Z]{0,4}")
# A lock's combination: 24-36-12, 3-7-1-5.
_COMBINATION = _LazyPattern(r"\d{1,3}(?:[-–]\d{1,3}){2,5}")
# "password: Falcon 2024": the number after a word.
_SPACED_NUMBER = _LazyPattern(r"[ \t](?P<number>\d{2,4})(?!\S)")
# "Code for the copier 5521", "código de la alarma 7731": a code's place, then the digits.
_SHORT_FILLER = _LazyPattern(
    r"[ \t]+(?:for|to|of|on|de|del|da|do|für|pour|du)[ \t]+(?:(?:the|la|el|a|o|der|die|das|le|les)[ \t]+)?"
    r"[^\s:=：.;!?]{1,30}[ \t]+",
    _I,
)
# The word after a model number: "PW 2201 toner low", "the PW 4400 printer".
_DEVICE_WORD = _LazyPattern(
    r"[ \t]+(?:toner|ink|paper|drum|tray|jam|jams|jammed|jamming|printer|printers|copier|scanner|series|model"
    r"|prints|printing|offline|online|fuser|cartridge|cartridges|error|display|screen)(?!\w)",
    _I,
)
_SYMBOL = _LazyPattern(r"[^\w\s.'’-]")
# "jdoe / pw Tiger123": a password word between the account and the value.
_PASSWORD_WORD = _LazyPattern(r"(?:password|passwd|pwd|pw|pass)(?:[ \t]*[:=]|[ \t]+is)?[ \t]+", _I)
# Candidates for a mistyped keyword, checked by _is_keyword_typo.
_TYPO_CANDIDATE = _LazyPattern(r"(?<![\w/.])p[^\W\d_]{5,9}(?!\w)", _I)
_TYPO_TARGETS = ("password", "passwords", "passcode", "passwort")
_WORD = _LazyPattern(r"\w+")
_VALUE_FIRST_VERBS = frozenset({"is", "was", "as", "be"})
# How far before its keyword a value-first statement can start.
_VALUE_FIRST_REACH = 160
_VALUE_FIRST_KEYWORDS = frozenset(
    "password passwords passcode passcodes passwd pwd pw pin passphrase code combo combination".split()
)
# The words a _KEYWORD match can begin with, lower case (tests check they cover it).
_KEYWORD_FIRST_WORDS = frozenset(
    """
    password passwords passwd passwds passcode passcodes passphrase passphrases passkey passkeys
    pass pwd pw p pword pswd pswrd psswd paswd pwrd passw wi wifi wpa wpa2 wpa3 wep network wireless
    pin door alarm access entry gate lock keypad unlock security copier printer print release user
    key lockbox elevator garage closet disarm building office voicemail phone combo combination
    código codigo code credential credentials creds login log logon sign signin signon account
    username userid e email contraseña contraseñas contrasena contrasenas clave claves senha senhas
    palavra passwort kennwort mot mdp wachtwoord hasło haslo пароль 密码 mật mat
    """.split()
)

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
    # "#4417", "1357#", "*2580": keypads have these keys too.
    digits = value.strip("#*")
    return digits.isdecimal() and len(digits) >= 4


@lru_cache(maxsize=8192)
def _is_strong(value: str, min_length: int = 4) -> bool:
    """A value that looks like a credential whatever words surround it."""
    if not value or _is_placeholder(value) or _EMAIL_OR_URL.fullmatch(value):
        return False
    if "/" in value:
        # jdoe/Tiger123 is a pair; reset/change and /home/jdoe are not credentials.
        return any(_is_strong(_strip(part), min_length) for part in value.split("/"))
    if _is_digit_code(value):
        return True
    if len(value) < min_length or _MODEL.fullmatch(value):
        return False
    has_letter = any(c.isalpha() for c in value)
    has_digit = any(c.isdigit() for c in value)
    if has_letter and has_digit:
        return _ORDINARY_ALNUM.fullmatch(value) is None
    # '-', '.' and apostrophes join ordinary words (self-service, e.g., can't).
    has_symbol = any(not c.isalnum() and c not in "-.'’" and not c.isspace() for c in value)
    return has_letter and has_symbol and len(value) >= max(min_length, 5)


def _is_account_shaped(value: str) -> bool:
    """jdoe, jsmith27, ann.lee: what a user name looks like, lower case and few digits."""
    return _USERNAME.fullmatch(value) is not None


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


class _Keyword(NamedTuple):
    start: int
    end: int
    kind: str  # password, pin, code, pass, combo, creds, account, foreign
    written: str  # as in the text, runs of whitespace made one space


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
    loose: bool = False  # free words between keyword and connector: only strong values count


def _connectors(text: str, pos: int, kind: str) -> Iterator[_Connector]:
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
    if kind in {"password", "pin", "code", "foreign"}:
        short = _SHORT_FILLER.match(text, pos)
        if short:
            yield _Connector(" …", short.end(), False, False, False, loose=True)
        yield from _loose_connectors(text, pos)


def _loose_connectors(text: str, pos: int) -> Iterator[_Connector]:
    """Each connector within six words of the keyword, nearest first: "the password I was given is X".

    One bounded search for the connectors, then the words before each are checked in
    Python: a pattern with nested repeats for this cost ten times as much.
    """
    window = _SIX_WORDS.match(text, pos)
    if window is None:
        return
    for sign in _LOOSE_SIGN.finditer(text, pos, window.end() + 12):  # room for " lautet "
        words = text[pos:sign.start()].split()
        if not words or len(words) > _LONG_FILLER_WORDS:
            return
        if any(len(word) > 40 or word[-1] in ".;!?" for word in words):
            return  # the sentence ended before the connector
        written = sign.group("sign") or sign.group("verb")
        yield _Connector(f" … {written}", sign.end(), False, written in ":=：", True, loose=True)


def _is_combination(value: str) -> bool:
    return _COMBINATION.fullmatch(value) is not None


def _judge(kind: str, value: _Value, connector: _Connector, keyword: str = "", text: str = "") -> bool:
    clean, explicit, label = value.clean, connector.explicit, connector.label
    if connector.loose:
        if kind in {"pin", "code"}:
            return _is_digit_code(clean) or _is_combination(clean)
        if not connector.explicit and not connector.gives and clean.isdecimal():
            return False  # "password for student 104821": an ID; "password for X is 4417" still counts
        return _is_strong(clean) and not _is_account_shaped(clean)
    if kind == "password":
        if connector.cue.strip() in {".", ","} and _is_account_shaped(clean):
            return False  # "forgot her password, jsmith27 in room 12"
        if not explicit and clean.isdecimal() and _DEVICE_WORD.match(text, value.end):
            return False  # "PW 2201 toner low": a printer's model
        return _is_strong(clean) or (explicit and not _is_placeholder(clean)
                                     and _is_stated_word(clean, value.ends_clause))
    if kind in {"pin", "code"}:
        if _is_combination(clean):
            return explicit or "comb" in keyword.lower()
        if kind == "code" and not explicit:
            return False  # "code 4417" alone may be anything; "code: 4417", "code is 4417" is not
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


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _hit(text: str, keyword: _Keyword, stated: _Value, cue: str) -> _Hit:
    lowered = keyword.written.lower()
    noun = "passcode" if keyword.kind in {"pin", "code"} or "code" in lowered else "password"
    finding = PasswordFinding(start=keyword.start, end=stated.end, keyword=keyword.written,
                              cue=cue, line=_line(text, keyword.start))
    return _Hit(finding, stated.clean, noun)


def _password_after_account(text: str, pos: int, given: bool) -> _Value | None:
    """The password after an account that ends at `pos` ("jdoe / Tiger123", "jdoe pw Tiger123").

    `given`: the account came after "login:", "creds are"..., so the writer is giving
    both; otherwise ("user jdoe Tiger#1", an address) a space alone between account and
    value needs a value with a symbol, since "user ordered HP305", "jdoe@pcschools.us
    Chromebook3100" are ordinary.
    """
    separator = _ACCOUNT_SEPARATOR.match(text, pos)
    if separator is None:
        return None
    after = _PASSWORD_WORD.match(text, separator.end())
    second = _value_at(text, after.end() if after else separator.end())
    if second is None or _EMAIL_OR_URL.fullmatch(second.clean) or not _is_strong(second.clean):
        return None
    if after:
        return second
    if _is_account_shaped(second.clean) or second.clean.isdecimal():
        return None  # "ann.lee@pcschools.us and jdoe2": another account, or a phone number
    if not given and not separator.group().strip() and _SYMBOL.search(text, second.start, second.end) is None:
        return None
    return second


def _scan_account(text: str, keyword: _Keyword) -> _Hit | None:
    """"creds are jdoe / Spring!24", "login jdoe Harvest#9": an account, then its password."""
    lead = _ACCOUNT_LEAD.match(text, keyword.end)
    start = lead.end() if lead else keyword.end
    if start == keyword.end and not text.startswith((" ", "\t"), start):
        return None
    account = _value_at(text, start)
    if account is None:
        return None
    cue = f"after '{keyword.written}' and an account"
    for sign in "/:":
        if sign in account.clean:
            name, _, rest = account.clean.partition(sign)
            rest = _strip(rest)
            if (_is_account_shaped(name) or _EMAIL_OR_URL.fullmatch(name)) and _is_strong(rest) \
                    and not _is_account_shaped(rest):
                return _hit(text, keyword, account, cue)
            return None
    if not (_is_account_shaped(account.clean) or _EMAIL_OR_URL.fullmatch(account.clean)):
        return None
    if account.clean.lower() in _ORDINARY_WORDS:
        return None
    given = bool(lead and lead.group().strip())
    second = _password_after_account(text, account.end, given)
    return _hit(text, keyword, second, cue) if second else None


def _scan_keyword(text: str, keyword: _Keyword) -> _Hit | None:
    kind = keyword.kind
    if kind == "code" and _ORDINARY_CODE.search(text[max(0, keyword.start - 24):keyword.start]):
        return None  # "error code: 4417"
    if kind == "account" or (kind == "creds" and _LABEL.match(text, keyword.end) is None):
        return _scan_account(text, keyword)
    for connector in _connectors(text, keyword.end, kind):
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
        elif _judge(kind, value, connector, keyword.written, text) \
                and not _names_account(text, keyword.start, value, connector):
            stated = value
        elif kind == "password" and connector.explicit and not connector.loose \
                and _is_stated_word(value.clean, ends_clause=True):
            # "password: Falcon 2024": a word and a number, as people make passwords.
            number = _SPACED_NUMBER.match(text, value.end)
            if number and _CLAUSE_END.match(text, number.end()) is not None:
                stated = _Value(value.clean + " " + number.group("number"), value.start, number.end(), True)
        if stated is not None:
            return _hit(text, keyword, stated, f"after '{keyword.written}{connector.cue}'")
    return None


def _scan_example(text: str, keyword: _Keyword, pos: int) -> _Hit | None:
    """"student passwords are all Miners + their ID, e.g. Miners10482": an example of one."""
    example = _EXAMPLE.match(text, pos)
    if example is None:
        return None
    value = _value_at(text, example.end())
    if value is None or not _is_strong(value.clean) \
            or _names_account(text, keyword.start, value, _Connector("", 0, False, False, False)):
        return None
    return _hit(text, keyword, value, f"after '{keyword.written}' and an example")


def _scan_value_first(text: str, endpos: int) -> _Hit | None:
    """"Tiger123 is my password", "4417 is the door code": the value, then the keyword."""
    for match in _VALUE_FIRST.finditer(text, 0, endpos):
        value = _strip(match.group("value"))
        if _is_strong(value):
            keyword = match.group("keyword")
            words = " ".join(match.group("words").split())
            finding = PasswordFinding(start=match.start("value"), end=match.end(), keyword=keyword,
                                      cue=f"before '{words} {keyword}'", line=_line(text, match.start()))
            noun = "passcode" if "code" in keyword.lower() or keyword.lower() in {"pin", "combo"} else "password"
            return _Hit(finding, value, noun)
    return None


def _scan_emails(text: str) -> _Hit | None:
    """"sign in with jdoe@pcschools.us and Maple#2025": an address, then a password."""
    if "@" not in text:
        return None
    for match in _EMAIL.finditer(text):
        second = _password_after_account(text, match.end(), given=False)
        if second is not None:
            finding = PasswordFinding(start=match.start(), end=second.end, keyword=match.group(),
                                      cue="after an email address", line=_line(text, match.start()))
            return _Hit(finding, second.clean, "password")
    return None


def _scan_same_as(text: str, pos: int) -> _Hit | None:
    """"same as the wifi: Miners2026": the password given by what it is the same as."""
    match = _SAME_AS.match(text, pos)
    if match is None:
        return None
    value = _value_at(text, match.end())
    if value is None or not _is_strong(value.clean) or _is_account_shaped(value.clean):
        return None
    finding = PasswordFinding(start=match.start(), end=value.end, keyword="same as",
                              cue=f"after 'same as …{match.group('sign').strip()}'",
                              line=_line(text, match.start()))
    return _Hit(finding, value.clean, "password")


@lru_cache(maxsize=4096)
def _is_keyword_typo(word: str) -> bool:
    """passwrd, pasword, passowrd: one letter left out, added, changed or swapped."""
    lowered = word.lower()
    return any(_within_one_edit(lowered, target) for target in _TYPO_TARGETS)


def _within_one_edit(word: str, target: str) -> bool:
    if word == target or abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        differ = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        return len(differ) == 1 or (
            len(differ) == 2 and differ[1] == differ[0] + 1
            and word[differ[0]] == target[differ[1]] and word[differ[1]] == target[differ[0]]
        )
    shorter, longer = (word, target) if len(word) < len(target) else (target, word)
    for i in range(len(longer)):
        if longer[:i] + longer[i + 1:] == shorter:
            return True
    return False


def _keyword_at(text: str, word: re.Match[str]) -> _Keyword | None:
    """The keyword that begins with this word of the text, if any: listed, or a typo of "password"."""
    lowered = word.group().lower()
    if lowered in _KEYWORD_FIRST_WORDS:
        match = _KEYWORD.match(text, word.start())
        if match is not None:
            written = " ".join(match.group().split())
            return _Keyword(match.start(), match.end(), match.lastgroup or "password", written)
    if lowered[:1] == "p" and 6 <= len(lowered) <= 10 and lowered.isalpha() and _is_keyword_typo(lowered):
        return _Keyword(word.start(), word.end(), "password", word.group())
    return None


def _may_state(text: str) -> bool:
    """Whether the text has anything a statement begins with: most texts have none.

    Lower-casing and splitting run in C, so this costs a tenth of the word-by-word pass.
    """
    if "@" in text:
        return True
    words = set(_WORD.findall(text.lower()))
    if not words.isdisjoint(_KEYWORD_FIRST_WORDS) or "same" in words:
        return True
    return any(word[:1] == "p" and 6 <= len(word) <= 10 and word.isalpha() and _is_keyword_typo(word)
               for word in words)


def _words(text: str) -> Iterator[tuple[re.Match[str], _Keyword | None]]:
    """Each word of the text, with the keyword that begins there; a keyword's own words are skipped."""
    inside_until = -1
    for word in _WORD.finditer(text):
        if word.start() < inside_until:
            continue  # "code" in "door code"
        keyword = _keyword_at(text, word)
        if keyword is not None:
            inside_until = keyword.end
        yield word, keyword


def _scan(text: str) -> _Hit | None:
    """The statement of a password that starts first in the text, if any.

    One pass over the words: _KEYWORD is tried only where a word that can begin a
    keyword begins (ten times faster than searching the text with it), and each
    scan from a keyword looks a bounded distance ahead, so the pass is linear.
    """
    if not _may_state(text):
        return None
    best = _scan_emails(text)

    def earlier(hit: _Hit | None) -> None:
        nonlocal best
        if hit is not None and (best is None or hit.finding.start < best.finding.start):
            best = hit

    value_first_end = -1  # where the last keyword a value may come before ends
    value_first_verb = "=" in text  # "X is my password" needs is/was/as/be or '='
    last_password: _Keyword | None = None  # for "passwords are ..., e.g. Miners10482"
    for word, keyword in _words(text):
        start = word.start()
        if best is not None and start > best.finding.start:
            break  # whatever starts later cannot come first (value-first ones are below)
        if keyword is not None:
            if keyword.written.lower().rsplit(None, 1)[-1] in _VALUE_FIRST_KEYWORDS:
                value_first_end = keyword.end
            if keyword.kind in {"password", "foreign"}:
                last_password = keyword
            earlier(_scan_keyword(text, keyword))
            continue
        lowered = word.group().lower()
        if lowered in _VALUE_FIRST_VERBS:
            value_first_verb = True
        if lowered in _EXAMPLE_WORDS:
            if last_password is not None and start - last_password.end <= _EXAMPLE_REACH \
                    and text.find("\n", last_password.end, start) == -1:
                earlier(_scan_example(text, last_password, start))
        elif lowered == "same":
            earlier(_scan_same_as(text, start))
    if best is not None:
        # A value-first statement may start before `best` with its keyword after it.
        value_first_end = min(len(text), best.finding.start + _VALUE_FIRST_REACH)
    elif not value_first_verb:
        return None  # _VALUE_FIRST costs more to compile than a short text to scan
    if value_first_end >= 0:
        earlier(_scan_value_first(text, value_first_end))
    return best


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
