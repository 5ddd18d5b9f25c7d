"""The family's language for written material: imported, synced to laptops and back, and added by
migration 0003 to cases and members stored before it, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import FAST_KDF, PASSPHRASE, SERVER_PASSWORD
from serverkit import build_world, edit, new_id, serve_process
from sqlalchemy import select, text

from caseworker_app.domain import Case, Person
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync.engine import SyncEngine
from caseworker_app.sync.enroll import enroll
from caseworker_app.sync.transport import Transport
from caseworker_server import admin
from caseworker_server.app import create_app
from caseworker_server.db import migrate
from caseworker_server.errors import Invalid
from caseworker_server.importer import import_cases
from caseworker_server.models import Record


def _family(case_id: str, mother_id: str, language: str = "es") -> dict[str, object]:
    return {
        "cases": [{
            "id": case_id, "reference": "CW-2026-00077", "family_name": "Ruiz", "assigned_to": "liaison",
            "preferred_language": language,
            "members": [{"id": mother_id, "role": "caregiver", "first_name": "Marisol", "last_name": "Ruiz",
                         "relationship": "mother", "preferred_language": language}],
        }]
    }


def _laptop(home: Path, url: str) -> LocalStore:
    store = LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    enroll(store, url, "liaison", SERVER_PASSWORD)
    return store


def _sync(store: LocalStore, url: str) -> None:
    engine = SyncEngine(store, Transport(url, backoff=0.01))
    try:
        engine.run()
    finally:
        engine.transport.close()


def test_the_written_language_travels_from_import_to_laptops_and_back(database_url: str, tmp_path: Path) -> None:
    case_id, mother_id = new_id(), new_id()
    app = create_app(database_url, run_migrations=True)
    with app.state.db.write() as session:
        admin.add_user(session, "liaison", "liaison", SERVER_PASSWORD, display_name="Liaison")
        import_cases(session, _family(case_id, mother_id))
    app.state.db.dispose()

    with serve_process(database_url) as (url, _process):
        first, second = _laptop(tmp_path / "first", url), _laptop(tmp_path / "second", url)
        try:
            _sync(first, url)
            case = first.repo.get(Case, case_id)
            assert case.preferred_language == "es"
            assert first.repo.get(Person, mother_id).preferred_language == "es"

            case.preferred_language = "vi"
            first.repo.save(case)
            _sync(first, url)
            _sync(second, url)
            assert second.repo.get(Case, case_id).preferred_language == "vi"
            assert second.repo.get(Person, mother_id).preferred_language == "es"
        finally:
            first.close()
            second.close()


def test_a_language_that_is_not_a_code_is_refused_by_the_import(database_url: str) -> None:
    app = create_app(database_url, run_migrations=True)
    try:
        with app.state.db.write() as session:
            admin.add_user(session, "liaison", "liaison", SERVER_PASSWORD, display_name="Liaison")
            with pytest.raises(Invalid, match="language code"):
                import_cases(session, _family(new_id(), new_id(), language="Spanish"))
    finally:
        app.state.db.dispose()


def test_rows_stored_before_migration_0003_read_not_recorded_and_a_first_edit_applies(database_url: str) -> None:
    world = build_world(database_url)
    try:
        with world.db.write() as session:  # back to what 0002 left: no language in the stored rows
            for record in session.execute(select(Record).where(Record.entity.in_(("case", "person")))).scalars():
                fields = json.loads(record.fields)
                fields.pop("preferred_language", None)
                record.fields = json.dumps(fields)
            session.execute(text("UPDATE alembic_version SET version_num = '0002'"))
        migrate(database_url)
        with world.db.read() as session:
            stored = json.loads(session.get(Record, ("case", world.cases["own"])).fields)
        assert stored["preferred_language"] == ""

        device = world.login("liaison")
        device.sync()
        version = device.held[("case", world.cases["own"])]["version"]
        [result] = device.push(edit("case", world.cases["own"], world.cases["own"], version,
                                    preferred_language=("", "es")))
        assert result["status"] == "applied"
    finally:
        world.client.close()
        world.db.dispose()
