"""Weak passwords do not pass (issue 20, item 8): a season or a word with a year, the user's name,
the agency's name or the app's name is an early guess; PDF passwords get the common-password check.

Checked where a person meets them: a server account (the admin command's function), a profile
passphrase (creating a profile, changing its passphrase) and an encrypted PDF export.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import FAST_KDF, PASSPHRASE

from caseworker_app.services.reports.errors import ExportError
from caseworker_app.services.reports.export import write_pdf
from caseworker_app.store.errors import ProfileError
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile
from caseworker_server import admin
from caseworker_server.db import Database, migrate
from caseworker_server.errors import Invalid

ISSUE_EXAMPLES = ["Summer2026!!", "Welcome2026!!", "Caseworker!2026"]
STRONG = ["copper lantern winter", "correct horse battery", "Tr4ffic-Meadow-Oboe"]


@pytest.fixture
def server_db(tmp_path: Path) -> Database:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    migrate(url)
    return Database(url)


@pytest.mark.parametrize("password", [*ISSUE_EXAMPLES, "Caseworker2026!!", "Autumn2027##"])
def test_an_account_password_made_of_a_word_and_a_year_is_refused(server_db: Database, password: str) -> None:
    with server_db.write() as session, pytest.raises(Invalid, match="too common or too easy to guess"):
        admin.add_user(session, "rlopez", "liaison", password)


def test_an_account_password_made_of_the_user_name_is_refused(server_db: Database) -> None:
    with server_db.write() as session, pytest.raises(Invalid, match="too common"):
        admin.add_user(session, "jdoe", "liaison", "jdoe-jdoe-jdoe")
    with server_db.write() as session, pytest.raises(Invalid, match="too common"):
        admin.add_user(session, "rlopez", "liaison", "Rosalind Lopez!", display_name="Rosalind Lopez")


@pytest.mark.parametrize("password", STRONG)
def test_a_few_unrelated_words_are_still_accepted(server_db: Database, password: str) -> None:
    with server_db.write() as session:
        admin.add_user(session, "jdoe", "liaison", password)


def new_profile(tmp_path: Path, passphrase: str, worker: str = "liaison") -> LocalStore:
    return LocalStore.create(tmp_path / "profile", passphrase, worker=worker, kdf=KdfParams.fresh(**FAST_KDF))


@pytest.mark.parametrize("passphrase", ISSUE_EXAMPLES)
def test_a_profile_passphrase_made_of_a_word_and_a_year_is_refused(tmp_path: Path, passphrase: str) -> None:
    with pytest.raises(ProfileError, match="passphrase is too common"):
        new_profile(tmp_path, passphrase)
    assert not (tmp_path / "profile").exists()  # nothing left half made


def test_a_profile_passphrase_made_of_the_worker_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="too common"):
        new_profile(tmp_path, "jdoe-jdoe-jdoe", worker="jdoe")


def test_the_agency_name_from_the_policy_counts_as_an_early_guess(tmp_path: Path) -> None:
    weak_here = "Brightwater!2026"
    Path(os.environ["CASEWORKER_POLICY"]).write_text(
        json.dumps({"agency_name": "Brightwater Youth Services"}), encoding="utf-8"
    )
    with pytest.raises(ProfileError, match="too common"):
        new_profile(tmp_path, weak_here)
    Path(os.environ["CASEWORKER_POLICY"]).write_text("{}", encoding="utf-8")
    new_profile(tmp_path, weak_here).close()  # elsewhere it is not a word of the setting


def test_changing_to_a_weak_passphrase_is_refused_and_the_old_one_still_opens(tmp_path: Path) -> None:
    new_profile(tmp_path, PASSPHRASE).close()
    profile = Profile(tmp_path / "profile")
    with pytest.raises(ProfileError, match="too common"):
        profile.change_passphrase(PASSPHRASE, "Welcome2026!!")
    assert profile.unlock(PASSPHRASE)


@pytest.mark.parametrize("password", ["password", "12345678", "qwertyuiop", "iloveyou", "        "])
def test_a_common_pdf_password_is_refused_and_no_file_is_written(tmp_path: Path, password: str) -> None:
    out = tmp_path / "summary.pdf"
    with pytest.raises(ExportError, match="PDF password is too common"):
        write_pdf(b"%PDF-1.4\n%%EOF\n", out, password)
    assert not out.exists()


def test_a_short_pdf_password_is_still_refused_for_its_length(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="at least 8 characters"):
        write_pdf(b"%PDF-1.4\n%%EOF\n", tmp_path / "summary.pdf", "x7#q")
