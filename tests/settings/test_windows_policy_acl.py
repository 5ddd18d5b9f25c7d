"""On Windows the policy folder and file must be IT's alone: owned by and writable only by
Administrators and SYSTEM (issue 20, item 7). The decision is tested here on access lists as
Windows reports them; reading them through the Win32 API runs on Windows only."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseworker_app import settings
from caseworker_app.settings import PolicyError
from caseworker_app.windows_acl import ADMINISTRATORS, SYSTEM, Ace, Acl, acl_problem

USERS = "S-1-5-32-545"
AUTHENTICATED = "S-1-5-11"
CREATOR_OWNER = "S-1-3-0"
A_USER = "S-1-5-21-1004336348-1177238915-682003330-1001"
FULL = 0x001F01FF
READ_EXECUTE = 0x001200A9
ADD_FILE_AND_FOLDER = 0x0002 | 0x0004  # what ProgramData grants Users on what it contains
INHERITED = 0x10
OBJECT_AND_CONTAINER_INHERIT = 0x01 | 0x02
INHERIT_ONLY = 0x08

# What the MSI sets on %ProgramData%\Caseworker (installers/windows/caseworker.wxs).
MSI_FOLDER = Acl(
    ADMINISTRATORS,
    (
        Ace(0, OBJECT_AND_CONTAINER_INHERIT, FULL, ADMINISTRATORS),
        Ace(0, OBJECT_AND_CONTAINER_INHERIT, FULL, SYSTEM),
        Ace(0, OBJECT_AND_CONTAINER_INHERIT, READ_EXECUTE, USERS),
    ),
)
# A folder that only inherits ProgramData's list: every user may add files to it.
INHERITED_FROM_PROGRAMDATA = Acl(
    ADMINISTRATORS,
    (
        Ace(0, INHERITED, FULL, SYSTEM),
        Ace(0, INHERITED, FULL, ADMINISTRATORS),
        Ace(0, INHERITED | OBJECT_AND_CONTAINER_INHERIT | INHERIT_ONLY, FULL, CREATOR_OWNER),
        Ace(0, INHERITED, READ_EXECUTE, USERS),
        Ace(0, INHERITED, ADD_FILE_AND_FOLDER, USERS),
    ),
)


def test_the_folder_the_msi_makes_is_accepted() -> None:
    assert acl_problem(MSI_FOLDER) is None


@pytest.mark.parametrize(
    ("acl", "named"),
    [
        (INHERITED_FROM_PROGRAMDATA, "may be changed by Users"),
        (
            Acl(ADMINISTRATORS, (Ace(0, 0, FULL, ADMINISTRATORS), Ace(0, 0, 0x001301BF, AUTHENTICATED))),
            "Authenticated Users",
        ),
        (Acl(A_USER, (Ace(0, 0, FULL, ADMINISTRATORS),)), f"owned by {A_USER}"),
        (Acl(ADMINISTRATORS, None), "everyone may change it"),
        (Acl(ADMINISTRATORS, (Ace(0, 0, 0x00040000, A_USER),)), A_USER),  # WRITE_DAC: could rewrite the list
    ],
)
def test_a_folder_or_file_others_could_change_is_refused(acl: Acl, named: str) -> None:
    problem = acl_problem(acl)
    assert problem is not None and named in problem


def test_deny_entries_and_inherit_only_entries_grant_nothing_here() -> None:
    acl = Acl(
        SYSTEM,
        (
            Ace(0, 0, FULL, ADMINISTRATORS),
            Ace(1, 0, FULL, USERS),  # deny
            Ace(0, OBJECT_AND_CONTAINER_INHERIT | INHERIT_ONLY, FULL, CREATOR_OWNER),
            Ace(0, 0, READ_EXECUTE, USERS),
        ),
    )
    assert acl_problem(acl) is None


def test_the_policy_check_names_the_folder_and_what_to_ask_it(tmp_path: Path) -> None:
    folder = tmp_path / "Caseworker"
    policy = folder / "policy.json"
    lists = {policy: MSI_FOLDER, folder: INHERITED_FROM_PROGRAMDATA}
    with pytest.raises(PolicyError, match="may be changed by Users") as refused:
        settings._check_windows_admin_only(policy, read_acl=lists.__getitem__)
    assert str(folder) in str(refused.value) and "Administrators and SYSTEM" in str(refused.value)
    lists[folder] = MSI_FOLDER
    settings._check_windows_admin_only(policy, read_acl=lists.__getitem__)


def test_an_access_list_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    def unreadable(_path: Path) -> Acl:
        raise OSError("access denied")

    with pytest.raises(PolicyError, match="cannot be read"):
        settings._check_windows_admin_only(tmp_path / "policy.json", read_acl=unreadable)
