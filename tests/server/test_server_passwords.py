"""Server passwords: at least 12 characters, and not a common or trivially patterned one."""

from __future__ import annotations

import pytest

from caseworker_server import admin
from caseworker_server.errors import Invalid


@pytest.mark.parametrize(
    "password", ["12345678", "password", " " * 8, " " * 12, "passwordpassword", "123456789012", "Password1234"]
)
def test_weak_server_passwords_are_refused(password: str) -> None:
    with pytest.raises(Invalid):
        admin.check_password(password)


def test_a_password_made_of_the_username_is_refused() -> None:
    with pytest.raises(Invalid, match="too common"):
        admin.check_password("jmartinez2026", "jmartinez")
    admin.check_password("copper lantern winter", "jmartinez")
