"""buildings.yaml as values: who is who, which buildings and categories exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pcsdesk.errors import ConfigError

ROLES = ("ets", "tech", "department")
DISTRICT_KEYS = (
    "name", "noc_phone", "webmaster", "email_domain", "helpdesk_email", "portal_url", "admins",
    "service_account",
)


@dataclass(frozen=True)
class StaffMember:
    email: str
    name: str
    role: str
    phone: str = ""
    supervisor: str | None = None

    def label(self) -> str:
        """How a person is named in output: name, email and phone."""
        phone = f", {self.phone}" if self.phone else ""
        return f"{self.name} <{self.email}>{phone}"


@dataclass(frozen=True)
class Building:
    code: str
    name: str
    ets: str
    techs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    name: str
    description: str = ""
    assign_to: str | None = None
    out_of_scope: str | None = None


@dataclass(frozen=True)
class Directory:
    district_name: str
    noc_phone: str
    webmaster: str
    staff: dict[str, StaffMember]
    buildings: dict[str, Building]
    categories: dict[str, Category]
    # The district keys of docs/reference.md, each optional so an older buildings.yaml still loads.
    email_domain: str = ""          # a bare user name gets this domain
    helpdesk_email: str = ""        # the sender of notifications
    portal_url: str = ""            # where notification links point (no trailing slash)
    admins: tuple[str, ...] = ()    # may change calendar.yaml and buildings.yaml
    service_account: str | None = None  # the web helpdesk's account on the git server

    def is_staff(self, who: str) -> bool:
        return who.lower() in self.staff

    def person(self, who: str) -> StaffMember | None:
        return self.staff.get(who.lower())

    def describe(self, who: str) -> str:
        member = self.person(who)
        return member.label() if member else who


def _mapping(value: Any, where: tuple[object, ...], what: str) -> dict[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{what} must be a mapping of keys to values", where)
    return value


def _text(value: Any, where: tuple[object, ...], required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value).strip() == "":
        raise ConfigError("must be non-empty text", where)
    return str(value).strip()


def _email(value: Any, where: tuple[object, ...]) -> str | None:
    """An optional email address, lower-cased; None when absent."""
    if value is None:
        return None
    text = _text(value, where).lower()
    if "@" not in text or any(c.isspace() for c in text):
        raise ConfigError(f"{text!r} is not an email address", where)
    return text


def _url(value: Any, where: tuple[object, ...]) -> str:
    """An optional http(s) address, without a trailing slash, so `+ "/tickets/ID"` reads right."""
    if value is None:
        return ""
    text = _text(value, where)
    if not text.startswith(("https://", "http://")) or any(c.isspace() for c in text):
        raise ConfigError("portal_url must be an address such as https://helpdesk.pcschools.us", where)
    return text.rstrip("/")


def _check_keys(data: dict[Any, Any], allowed: tuple[str, ...], where: tuple[object, ...]) -> None:
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise ConfigError(
            f"unknown key {unknown[0]!r}; allowed keys: {', '.join(allowed)}", where
        )


def directory_from_dict(data: Any) -> Directory:
    """Validate loaded buildings.yaml; every person named must be listed under staff."""
    root = _mapping(data, (), "buildings.yaml")
    _check_keys(root, ("district", "staff", "buildings", "categories"), ())
    district = _mapping(root.get("district"), ("district",), "district")
    _check_keys(district, DISTRICT_KEYS, ("district",))

    staff: dict[str, StaffMember] = {}
    for email, entry in _mapping(root.get("staff"), ("staff",), "staff").items():
        where: tuple[object, ...] = ("staff", email)
        if not isinstance(email, str) or "@" not in email:
            raise ConfigError("staff are listed by email address, e.g. ets.pchs@pcschools.us", where)
        fields = _mapping(entry, where, "a staff entry")
        _check_keys(fields, ("name", "role", "phone", "supervisor"), where)
        role = fields.get("role")
        if role not in ROLES:
            raise ConfigError(f"role must be one of {', '.join(ROLES)}", (*where, "role"))
        supervisor = fields.get("supervisor")
        staff[email.lower()] = StaffMember(
            email=email.lower(),
            name=_text(fields.get("name"), (*where, "name")),
            role=role,
            phone=_text(fields.get("phone"), (*where, "phone"), required=False),
            supervisor=_text(supervisor, (*where, "supervisor")).lower() if supervisor else None,
        )
    if not staff:
        raise ConfigError("list at least one technology staff member under staff", ("staff",))

    def known(who: Any, where: tuple[object, ...]) -> str:
        text = _text(who, where).lower()
        if text not in staff:
            raise ConfigError(f"{text} is not listed under staff; add them there first", where)
        return text

    for member in staff.values():
        if member.supervisor:
            known(member.supervisor, ("staff", member.email, "supervisor"))

    buildings: dict[str, Building] = {}
    for code, entry in _mapping(root.get("buildings"), ("buildings",), "buildings").items():
        where = ("buildings", code)
        if not isinstance(code, str) or not code.replace("-", "").isalnum():
            raise ConfigError("a building code is letters and digits, e.g. PCHS", where)
        fields = _mapping(entry, where, "a building")
        _check_keys(fields, ("name", "ets", "techs"), where)
        techs = fields.get("techs") or []
        if not isinstance(techs, list):
            raise ConfigError("techs must be a list of staff emails", (*where, "techs"))
        buildings[code] = Building(
            code=code,
            name=_text(fields.get("name"), (*where, "name")),
            ets=known(fields.get("ets"), (*where, "ets")),
            techs=tuple(known(t, (*where, "techs", i)) for i, t in enumerate(techs)),
        )
    if not buildings:
        raise ConfigError("list at least one building under buildings", ("buildings",))

    categories: dict[str, Category] = {}
    for name, entry in _mapping(root.get("categories"), ("categories",), "categories").items():
        where = ("categories", name)
        fields = _mapping(entry, where, "a category")
        _check_keys(fields, ("description", "assign_to", "out_of_scope"), where)
        assign_to = fields.get("assign_to")
        out_of_scope = fields.get("out_of_scope")
        if assign_to and out_of_scope:
            raise ConfigError("a category is either assigned or out of scope, not both", where)
        categories[str(name)] = Category(
            name=str(name),
            description=_text(fields.get("description"), (*where, "description"), required=False),
            assign_to=known(assign_to, (*where, "assign_to")) if assign_to else None,
            out_of_scope=_text(out_of_scope, (*where, "out_of_scope")) if out_of_scope else None,
        )

    email_domain = _text(district.get("email_domain"), ("district", "email_domain"), required=False)
    if email_domain and ("@" in email_domain or "." not in email_domain):
        raise ConfigError("email_domain is a domain such as pcschools.us", ("district", "email_domain"))
    admins = district.get("admins") or []
    if not isinstance(admins, list):
        raise ConfigError("admins must be a list of emails", ("district", "admins"))
    return Directory(
        email_domain=email_domain.lower(),
        helpdesk_email=_email(district.get("helpdesk_email"), ("district", "helpdesk_email")) or "",
        portal_url=_url(district.get("portal_url"), ("district", "portal_url")),
        admins=tuple(_email(a, ("district", "admins", i)) or "" for i, a in enumerate(admins)),
        service_account=_email(district.get("service_account"), ("district", "service_account")),
        district_name=_text(district.get("name", "the district"), ("district", "name")),
        noc_phone=_text(district.get("noc_phone"), ("district", "noc_phone"), required=False),
        webmaster=_text(district.get("webmaster"), ("district", "webmaster"), required=False),
        staff=staff,
        buildings=buildings,
        categories=categories,
    )
