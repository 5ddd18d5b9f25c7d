"""`caseworker summary` / `report`: a family's copy in the family's language unless --language says
otherwise; a family language without a translation is refused with the choices."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from clikit import copy_profile
from helpers import PASSPHRASE, run_cli
from pypdf import PdfReader

from caseworker_app import cli
from caseworker_app.domain import Case
from caseworker_app.services import cases
from caseworker_app.store.local_store import LocalStore

run = run_cli


@pytest.fixture
def home(demo_folder: Path, tmp_path: Path) -> str:
    return str(copy_profile(demo_folder, tmp_path / "demo"))


def family_case(home: str, language: str) -> str:
    """The reference of a demo case whose family reads `language` (set on the first case if none does)."""
    with LocalStore.open(Path(home), PASSPHRASE) as store:
        everyone = sorted(store.repo.all(Case), key=lambda c: c.reference)
        found = [c for c in everyone if c.preferred_language == language]
        if found:
            return found[0].reference
        case = everyone[0]
        cases.edit_case(store, case.id, {"preferred_language": language}, seen=case)
        return case.reference


def text(pdf: Path) -> str:
    return " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)


def history(capsys, monkeypatch, home: str, reference: str, out: Path, *more: str):  # type: ignore[no-untyped-def]
    return run(capsys, monkeypatch, "report", reference, "--from", "2025-01-01", "--to", "2026-12-31",
               "--out", str(out), "--home", home, "--audience", "family", *more)


def test_the_familys_copy_is_written_in_the_familys_language(home: str, tmp_path: Path, capsys,
                                                             monkeypatch) -> None:  # type: ignore[no-untyped-def]
    reference = family_case(home, "es")
    pdf = tmp_path / "family.pdf"
    code, out, err = history(capsys, monkeypatch, home, reference, pdf)
    assert code == 0, err
    assert "family, es" in out
    assert "Historial del caso" in text(pdf) and "Redactado en español" in text(pdf)

    code, out, err = history(capsys, monkeypatch, home, reference, pdf, "--language", "en")
    assert code == 0, err
    assert "Case history" in text(pdf) and "Historial" not in text(pdf)


def test_a_family_language_without_a_translation_is_refused_with_the_choices(
    home: str, tmp_path: Path, capsys, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    reference = family_case(home, "vi")
    pdf = tmp_path / "family.pdf"
    code, _out, err = history(capsys, monkeypatch, home, reference, pdf)
    assert code != 0 and not pdf.exists()
    assert "No Vietnamese translation is available; choose English or Spanish." in err
    assert "--language" in err
    code, _out, err = history(capsys, monkeypatch, home, reference, pdf, "--language", "vi")
    assert code == cli.EXIT_ERROR and "No Vietnamese translation is available" in err
    code, _out, err = history(capsys, monkeypatch, home, reference, pdf, "--language", "es")
    assert code == 0 and "Historial del caso" in text(pdf), err
