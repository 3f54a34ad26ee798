"""buildings.yaml's district keys (docs/reference.md): the sender and the portal of notifications, the admins."""

from __future__ import annotations

from typing import Any

import pytest

from pcsdesk.errors import ConfigError
from pcsdesk.rules.directory import directory_from_dict


def config(**district: Any) -> dict[str, Any]:
    return {
        "district": {"name": "Park City School District", **district},
        "staff": {"ets@pcschools.us": {"name": "Ets", "role": "ets"}},
        "buildings": {"PCHS": {"name": "Park City High School", "ets": "ets@pcschools.us"}},
    }


class TestDistrictKeys:
    def test_spec_keys_are_read(self) -> None:
        directory = directory_from_dict(config(
            email_domain="PCSchools.us", helpdesk_email="Helpdesk@pcschools.us",
            portal_url="https://helpdesk.pcschools.us/", admins=["KDaniels@pcschools.us"],
            service_account="portal@pcschools.us",
        ))
        assert directory.email_domain == "pcschools.us"
        assert directory.helpdesk_email == "helpdesk@pcschools.us"
        assert directory.portal_url == "https://helpdesk.pcschools.us"
        assert directory.admins == ("kdaniels@pcschools.us",)
        assert directory.service_account == "portal@pcschools.us"

    def test_they_are_optional(self) -> None:
        directory = directory_from_dict(config())
        assert (directory.helpdesk_email, directory.portal_url, directory.admins) == ("", "", ())
        assert directory.service_account is None

    @pytest.mark.parametrize(("key", "value", "where"), [
        ("helpdesk_email", "helpdesk", "helpdesk_email"),
        ("portal_url", "helpdesk.pcschools.us", "portal_url"),
        ("admins", "kdaniels@pcschools.us", "admins"),
        ("admins", ["not an email"], "admins.0"),
        ("email_domain", "jsmith@pcschools.us", "email_domain"),
    ])
    def test_a_wrong_value_names_its_key(self, key: str, value: Any, where: str) -> None:
        with pytest.raises(ConfigError) as raised:
            directory_from_dict(config(**{key: value}))
        assert f"district.{where}" in str(raised.value)
