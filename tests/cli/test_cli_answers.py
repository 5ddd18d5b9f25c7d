"""Answers a person can act on: the error log, ids as lists print them, search, help, counts (issue 11, section 2)."""

from __future__ import annotations

import argparse
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from clikit import copy_profile
from helpers import PASSPHRASE, run_cli

from caseworker_app import cli
from caseworker_app.demo.caseload import generate_caseload
from caseworker_app.domain.entities import Case, Note
from caseworker_app.services import search as search_service
from caseworker_app.services.sync import describe
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync.engine import SyncReport

run = run_cli


@pytest.fixture
def home(demo_folder: Path, tmp_path: Path) -> str:
    return str(copy_profile(demo_folder, tmp_path / "demo"))


def test_an_unexpected_error_is_logged_to_a_file_without_case_data(home: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    caseload = generate_caseload("default", today=date.today(), worker="liaison")
    families = sorted({c.family_name for c in caseload.cases})
    people = sorted({f"{p.first_name} {p.last_name}" for p in caseload.people})

    def broken(_db: object) -> None:
        # A bug whose message carries case data, as a KeyError or a ValueError easily does.
        raise RuntimeError(f"no row for {families[0]} / {people[0]}")

    monkeypatch.setattr("caseworker_app.store.queries.case_list", broken)
    code, _out, err = run(capsys, monkeypatch, "cases", "--home", home)
    assert code == cli.EXIT_ERROR and "unexpected error (RuntimeError)" in err
    log_file = Path(home) / "logs" / "caseworker.log"
    assert str(log_file) in err and log_file.is_file()
    text = log_file.read_text(encoding="utf-8")
    assert "RuntimeError" in text and "cmd_cases" in text  # enough for IT to find the place
    leaked = [name for name in families + people if name in text]
    assert leaked == []


def test_ids_as_the_lists_print_them_are_accepted_everywhere(home: str, tmp_path: Path, capsys,
                                                             monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _code, out, _ = run(capsys, monkeypatch, "cases", "--home", home, "--json")
    case = json.loads(out)[0]

    code, by_reference, err = run(capsys, monkeypatch, "visits", case["reference"], "--home", home)
    assert code == 0, err
    code, by_id, _ = run(capsys, monkeypatch, "visits", case["id"], "--home", home)
    assert by_reference == by_id
    short = by_reference.strip().splitlines()[2].split()[-1]  # the Id column of the newest visit
    assert len(short) == 8

    pdf = tmp_path / "visit.pdf"
    # The school copy: the full copy needs a password by default (export_password_audiences).
    code, out, err = run(capsys, monkeypatch, "summary", short, "--out", str(pdf), "--home", home,
                         "--audience", "school")
    assert code == 0 and pdf.exists(), err
    code, out, err = run(capsys, monkeypatch, "report", case["reference"].lower(), "--from", "2025-01-01",
                         "--to", "2026-12-31", "--out", str(tmp_path / "history.pdf"), "--home", home,
                         "--audience", "school")
    assert code == 0, err
    code, _out, err = run(capsys, monkeypatch, "visits", "CW-1999-00000", "--home", home)
    assert code == cli.EXIT_ERROR and "No case with reference or id CW-1999-00000" in err


def test_search_says_what_it_left_out_one_line_per_hit_with_usable_ids(home: str, tmp_path: Path, capsys,
                                                                       monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, monkeypatch, "search", "visit", "--home", home, "--json", "--limit", "1000")
    total = len(json.loads(out))
    assert total > 5
    code, out, err = run(capsys, monkeypatch, "search", "visit", "--home", home, "--limit", "5")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 6, out
    assert lines[-1] == f"5 of {total} matches, --limit to see more"
    code, out, _ = run(capsys, monkeypatch, "search", "visit", "--home", home, "--limit", "1000")
    hits = out.strip().splitlines()
    assert len(hits) == total and all(re.match(r"^\S+  .+  (case|person|visit|note)", h) for h in hits)
    # Visits and notes on a visit carry the short id that 'summary' takes.
    ids = {m.group(1) for h in hits if (m := re.search(r"  (?:note on )?visit ([0-9a-f]{8}): ", h))}
    assert any("  note on visit " in h for h in hits) and len(ids) > 1
    for short in sorted(ids)[:2]:
        code, _out, err = run(capsys, monkeypatch, "summary", short, "--out", str(tmp_path / f"{short}.pdf"),
                              "--home", home, "--audience", "school")
        assert code == 0, err


def test_search_snippets_stay_on_one_line(store: LocalStore) -> None:
    case = store.repo.save(Case(family_name="Okafor", reference="CW-2026-00001"))
    store.repo.save(
        Note(case_id=case.id, author="liaison", narrative="Mother asked about the\nbackpack\tprogram.",
             written_at=datetime.now(UTC))
    )
    (hit,) = search_service.search(store, "backpack").hits
    assert hit.snippet == "Mother asked about the [backpack] program."


def _arguments(parser: argparse.ArgumentParser, path: str) -> list[tuple[str, argparse.Action]]:
    found: list[tuple[str, argparse.Action]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _arguments(child, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction | argparse._VersionAction):
            found.append((path, action))
    return found


def test_every_argument_is_described_dates_give_their_format_and_json_is_documented() -> None:
    parser = cli.build_parser()
    arguments = _arguments(parser, "caseworker")
    undescribed = [f"{path} {a.option_strings or a.dest}" for path, a in arguments if not (a.help or "").strip()]
    assert undescribed == []
    dates = [a for _path, a in arguments if set(a.option_strings) & {"--from", "--to"}]
    assert dates and all("YYYY-MM-DD" in (a.metavar or "") + (a.help or "") for a in dates)
    commands = {path: sub for path, sub in _commands(parser, "caseworker")}
    with_json = [path for path, a in arguments if "--json" in a.option_strings]
    assert with_json
    for path in with_json:
        assert "--json prints" in (commands[path].epilog or ""), path


def _commands(parser: argparse.ArgumentParser, path: str) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _commands(child, f"{path} {name}")
    return found


def test_sync_summary_counts_and_plurals() -> None:
    one = describe(SyncReport(pushed=1, pulled=1, granted=["a"], revoked=["b"], results={"applied": 1}))
    assert one == (
        "Synced: sent 1 change (1 applied); received 1 record; 1 case received; 1 case removed from this laptop."
    )
    many = describe(SyncReport(pushed=0, pulled=12, granted=["a", "b", "a"]))
    assert many == "Synced: sent 0 changes (nothing to send); received 12 records; 2 cases received."


def test_init_records_the_workers_full_name_and_title(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from caseworker_app.services.staff import staff_directory

    home = str(tmp_path / "p")
    code, _out, err = run(capsys, monkeypatch, "init", "--home", home, "--worker", "sokafor",
                          "--name", "Sam Okafor", "--title", "School social worker")
    assert code == 0, err
    with LocalStore.open(Path(home), PASSPHRASE) as store:
        assert staff_directory(store)["sokafor"].signature_line() == "Sam Okafor, School social worker"
