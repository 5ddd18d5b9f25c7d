"""The family's language for written material: kept in the store, and added to stores made before it."""

from pathlib import Path

import pytest
from helpers import FAST_KDF, PASSPHRASE

from caseworker_app.domain import Case, Person, ValidationError
from caseworker_app.domain.vocabulary import PersonRole
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.migrate import HEAD, current_revision


def test_a_store_from_before_the_language_field_opens_with_the_language_not_recorded(tmp_path: Path) -> None:
    home = tmp_path / "profile"
    case = Case(reference="CW-2026-00002", family_name="Nguyễn")
    mother = Person(case_id=case.id, role=PersonRole.CAREGIVER, first_name="Linh", last_name="Nguyễn")
    with LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF)) as store:
        store.repo.save(case)
        store.repo.save(mother)
        with store.db.engine.begin() as conn:  # back to what 0005 left
            conn.exec_driver_sql("ALTER TABLE cases DROP COLUMN preferred_language")
            conn.exec_driver_sql("ALTER TABLE people DROP COLUMN preferred_language")
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0005'")
    with LocalStore.open(home, PASSPHRASE) as reopened:
        assert current_revision(reopened.db.engine) == HEAD
        assert reopened.repo.get(Case, case.id).preferred_language == ""
        stored = reopened.repo.get(Person, mother.id)
        stored.preferred_language = "vi"
        reopened.repo.save(stored)
        assert reopened.repo.get(Person, mother.id).preferred_language == "vi"


def test_a_language_is_a_code_not_a_name() -> None:
    with pytest.raises(ValidationError):
        Case(reference="CW-1", family_name="Ruiz", preferred_language="Spanish").validate()
    Case(reference="CW-1", family_name="Ruiz", preferred_language="es").validate()
    Case(reference="CW-1", family_name="Ruiz", preferred_language="pt-BR").validate()
