"""`case import`: each mistake named by record, field and allowed values; a refused file writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from serverkit import new_id
from sqlalchemy import func, select

from caseworker_server import cli
from caseworker_server.db import Database
from caseworker_server.models import Record


def export(**case_changes: Any) -> dict[str, Any]:
    school = new_id()
    case = {
        "id": new_id(),
        "reference": "CW-7",
        "family_name": "Alvarez",
        "risk_level": "moderate",
        "school_id": school,
        "members": [{"id": new_id(), "role": "child", "first_name": "Ana", "last_name": "Alvarez"}],
    }
    case.update(case_changes)
    return {"schools": [{"id": school, "name": "Hillside Elementary", "district": "Riverbend"}], "cases": [case]}


@pytest.fixture
def importer(database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Any:
    assert cli.main(["--database-url", database_url, "init"]) == 0
    capsys.readouterr()

    def run(data: dict[str, Any]) -> tuple[int, str]:
        path = tmp_path / f"export-{new_id()}.json"
        path.write_text(json.dumps(data))
        code = cli.main(["--database-url", database_url, "case", "import", str(path)])
        out, err = capsys.readouterr()
        return code, (out if code == 0 else err).strip()

    return run


def records(database_url: str) -> int:
    db = Database(database_url)
    try:
        with db.read() as session:
            return int(session.scalar(select(func.count()).select_from(Record).where(Record.entity != "service")) or 0)
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (export(risk_level="hi"), "case CW-7: risk_level 'hi' is not one of low, moderate, high, very_high."),
        (export(stage="open"), "case CW-7: stage 'open' is not one of intake, assessment, ongoing, closing, closed."),
        (export(id="42"), "case CW-7: id '42' is not a UUID"),
        (export(school_id=new_id()), "case CW-7: school_id"),
        (export(risk="high"), "case CW-7: unknown field 'risk' (the fields are id, reference, family_name"),
        (export(opened_on="02/09/2026"), "case CW-7: opened_on '02/09/2026' is not a date as YYYY-MM-DD."),
        (export(assigned_to="nobody"), "case CW-7: assigned_to 'nobody' is not a user here"),
        (
            export(members=[{"id": new_id(), "role": "kid", "first_name": "Ana"}]),
            "case CW-7, member 1: role 'kid' is not one of child, caregiver, household_member.",
        ),
        (
            export(members=[{"id": new_id(), "role": "child", "first_name": "Ana", "grdae": "4"}]),
            "case CW-7, member 1: unknown field 'grdae'",
        ),
    ],
)
def test_a_mistake_is_named_by_record_field_and_allowed_values(importer, database_url: str, data, message) -> None:  # type: ignore[no-untyped-def]
    code, err = importer(data)
    assert code == 1 and message in err, err
    assert len(err.splitlines()) == 1
    assert records(database_url) == 0


def test_a_member_without_a_last_name_is_imported(importer, database_url: str) -> None:  # type: ignore[no-untyped-def]
    data = export(members=[{"id": new_id(), "role": "caregiver", "first_name": "Rosa"}])
    code, out = importer(data)
    assert code == 0 and "Imported 1 cases, 1 members, 1 schools" in out, out


def test_duplicate_cases_are_refused(importer, database_url: str) -> None:  # type: ignore[no-untyped-def]
    twice = export()
    twice["cases"].append(dict(twice["cases"][0], members=[]))
    code, err = importer(twice)
    assert code == 1 and "a duplicate of case CW-7 (the same id" in err

    first = export()
    assert importer(first)[0] == 0
    code, err = importer(export())  # a new id with a reference the server already holds
    assert code == 1 and "already has another case with this reference" in err
    assert importer(first)[0] == 0  # the same case again is an update, not a duplicate


def test_nothing_of_a_refused_file_is_written(importer, database_url: str) -> None:  # type: ignore[no-untyped-def]
    data = export()
    bad = export(reference="CW-8", risk_level="severe")
    data["cases"].append(bad["cases"][0])
    data["schools"] += bad["schools"]
    code, err = importer(data)
    assert code == 1 and err.startswith("caseworker-server: case CW-8: risk_level 'severe'")
    assert records(database_url) == 0
