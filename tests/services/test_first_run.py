"""The first-run wizard without a display: its steps, its rules, and each way in against a real server."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from agency_kit import FAMILY_NAME, agency_server, devices_of
from helpers import FAST_KDF, SERVER_PASSWORD

from caseworker_app.demo.profile import load_demo
from caseworker_app.domain.entities import Case
from caseworker_app.services import profiles
from caseworker_app.services.first_run import Choice, FirstRun, Step, StepIncomplete, is_first_run
from caseworker_app.services.staff import NAME_KEY
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.profile_label import read_label
from caseworker_app.sync.state import SyncState

STRONG = "lantern orchard velvet compass"
KDF = KdfParams.fresh(**FAST_KDF)


def write_policy(values: dict[str, object]) -> None:
    Path(os.environ["CASEWORKER_POLICY"]).write_text(json.dumps(values))


def agency_wizard(home: Path, url: str, password: str = SERVER_PASSWORD) -> FirstRun:
    wizard = FirstRun.for_folder(home)
    assert wizard.choose(Choice.AGENCY) is Step.ACCOUNT
    wizard.server_url, wizard.username, wizard.password = url, "liaison", password
    wizard.device_name = "Jordan's laptop"
    assert wizard.next() is Step.PASSPHRASE
    wizard.passphrase = wizard.confirm = STRONG
    assert wizard.next() is Step.WORKING
    return wizard


def test_without_a_keyring_under_the_default_policy_it_says_what_to_ask_it_before_any_typing(
    tmp_path: Path,
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    wizard = FirstRun.for_folder(tmp_path / "profile", demo_caseload=load_demo)
    assert wizard.step is Step.CHOOSE
    assert "no OS keyring" in wizard.blocked_notice and "Ask IT" in wizard.blocked_notice
    assert wizard.available(Choice.DEMO)
    assert not wizard.available(Choice.AGENCY) and not wizard.available(Choice.OFFLINE)
    with pytest.raises(StepIncomplete):
        wizard.choose(Choice.AGENCY)
    assert wizard.step is Step.CHOOSE and wizard.choice is None


def test_passphrase_only_allowed_by_policy_is_a_warning_not_a_wall(tmp_path: Path) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    write_policy({"allow_passphrase_only": True})
    wizard = FirstRun.for_folder(tmp_path / "profile")
    assert wizard.blocked_notice == "" and "passphrase alone" in wizard.keyring_notice
    assert wizard.available(Choice.AGENCY)


def test_a_server_fixed_by_policy_is_prefilled_and_cannot_be_swapped(tmp_path: Path) -> None:
    write_policy({"server_url": "https://sync.county.example"})
    wizard = FirstRun.for_folder(tmp_path / "profile")
    assert wizard.server_fixed and wizard.server_url == "https://sync.county.example"
    wizard.choose(Choice.AGENCY)
    wizard.server_url = "https://elsewhere.example"  # as if the field had been edited
    wizard.username, wizard.password, wizard.device_name = "liaison", "x", "laptop"
    wizard.next()
    assert wizard.server_url == "https://sync.county.example"


def test_each_step_names_what_to_fix_and_back_returns_to_the_choice(tmp_path: Path) -> None:
    wizard = FirstRun.for_folder(tmp_path / "profile")
    wizard.choose(Choice.AGENCY)
    wizard.device_name = "laptop"
    with pytest.raises(StepIncomplete) as missing:
        wizard.next()
    assert missing.value.field == "server"
    wizard.server_url = "http://sync.county.example"
    with pytest.raises(StepIncomplete) as insecure:
        wizard.next()
    assert insecure.value.field == "server" and "https://" in str(insecure.value)
    wizard.server_url = "https://sync.county.example"
    with pytest.raises(StepIncomplete) as no_user:
        wizard.next()
    assert no_user.value.field == "username"
    wizard.username, wizard.password = "liaison", "pw"
    assert wizard.next() is Step.PASSPHRASE

    wizard.passphrase = wizard.confirm = "password1234"
    with pytest.raises(StepIncomplete) as weak:
        wizard.next()
    assert weak.value.field == "passphrase"
    wizard.passphrase, wizard.confirm = STRONG, STRONG + "x"
    with pytest.raises(StepIncomplete) as differ:
        wizard.next()
    assert differ.value.field == "confirm"
    assert wizard.back() is Step.ACCOUNT and wizard.back() is Step.CHOOSE and wizard.choice is None


def test_the_strength_meter_explains(tmp_path: Path) -> None:
    wizard = FirstRun.for_folder(tmp_path / "profile")
    wizard.username = "jdoe"
    wizard.passphrase = "password1234"
    weak = wizard.strength()
    assert weak.score <= 1 and not weak.acceptable and weak.advice
    wizard.passphrase = STRONG
    strong = wizard.strength()
    assert strong.acceptable and strong.score >= 3 and strong.verdict


def test_connect_to_my_agency_enrolls_and_receives_the_caseload(tmp_path: Path) -> None:
    home = tmp_path / "profile"
    assert is_first_run(home)
    with agency_server(tmp_path) as server:
        wizard = agency_wizard(home, server.url)
        seen: list[float] = []
        store = wizard.run(progress=lambda f, _m: seen.append(f), kdf=KDF)
        wizard.finished()
        try:
            assert [c.family_name for c in store.repo.all(Case)] == [FAMILY_NAME]
            state = SyncState.load(store)
            assert state.enrolled and state.device_name == "Jordan's laptop" and state.last_success
            assert devices_of(server, "liaison") == [state.device_id]
            assert store.profile.uses_keyring and seen and wizard.sync_problem == ""
        finally:
            store.close()
    assert not is_first_run(home) and wizard.password == "" and wizard.passphrase == ""


def test_a_refused_sign_in_leaves_no_profile_and_returns_to_the_account_step(tmp_path: Path) -> None:
    home = tmp_path / "profile"
    with agency_server(tmp_path) as server:
        wizard = agency_wizard(home, server.url, password="not the password")
        with pytest.raises(Exception, match="Wrong username or password"):
            wizard.run(kdf=KDF)
        wizard.failed()
        assert wizard.step is Step.ACCOUNT and is_first_run(home)


def test_a_cancelled_first_sync_keeps_the_enrolled_profile(tmp_path: Path) -> None:
    home = tmp_path / "profile"
    cancel = threading.Event()
    cancel.set()
    with agency_server(tmp_path) as server:
        wizard = agency_wizard(home, server.url)
        store = wizard.run(cancel=cancel, kdf=KDF)
        try:
            assert SyncState.load(store).enrolled and wizard.sync_problem
        finally:
            store.close()


def test_work_offline_makes_a_local_profile_that_may_connect_later(tmp_path: Path) -> None:
    home = tmp_path / "profile"
    wizard = FirstRun.for_folder(home)
    assert wizard.choose(Choice.OFFLINE) is Step.IDENTITY
    with pytest.raises(StepIncomplete):
        wizard.next()
    wizard.username, wizard.full_name, wizard.job_title = "liaison", "Jordan Rivera", "Family liaison"
    assert wizard.next() is Step.PASSPHRASE
    wizard.passphrase = wizard.confirm = STRONG
    wizard.next()
    store = wizard.run(kdf=KDF)
    try:
        assert store.worker == "liaison" and store.get_setting(NAME_KEY) == "Jordan Rivera"
        assert not SyncState.load(store).enrolled
        with agency_server(tmp_path) as server:
            profiles.enroll_existing(store, server.url, "liaison", SERVER_PASSWORD)
            assert len(devices_of(server, "liaison")) == 1
    finally:
        store.close()


def test_try_the_demo_makes_a_marked_demo_that_cannot_enroll(tmp_path: Path) -> None:
    home = tmp_path / "profile"
    wizard = FirstRun.for_folder(home, demo_caseload=load_demo)
    assert wizard.choose(Choice.DEMO) is Step.WORKING
    store = wizard.run(kdf=KDF)
    try:
        assert read_label(home).demo and len(store.repo.all(Case)) > 0
        with pytest.raises(profiles.DemoCannotEnroll):
            profiles.enroll_existing(store, "http://127.0.0.1:9", "liaison", SERVER_PASSWORD)
    finally:
        store.close()


def test_the_demo_goes_beside_the_real_profile_folder_and_opens_again_next_time(tmp_path: Path) -> None:
    home, demo_home = tmp_path / "profile", tmp_path / "demo"
    for _ in range(2):
        wizard = FirstRun.for_folder(home, demo_caseload=load_demo, demo_home=demo_home)
        wizard.choose(Choice.DEMO)
        store = wizard.run(kdf=KDF)
        try:
            assert store.profile.home == demo_home and len(store.repo.all(Case)) > 0
        finally:
            store.close()
        assert is_first_run(home)  # the folder for real families stays empty, free to enroll
