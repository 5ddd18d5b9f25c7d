"""The terminal and the core's messages in Spanish, and counts in each language's plural forms (issue 22)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from clikit import cli_env, copy_profile, start
from helpers import PASSPHRASE

from caseworker_app import cli, i18n
from caseworker_app.domain.vocabulary import as_words
from caseworker_app.services.app_settings import setting_rows
from caseworker_app.services.sync import describe
from caseworker_app.sync.engine import SyncReport


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.use_language("es")
    yield
    i18n.use_language("en")


def spanish_terminal(tmp: Path) -> dict[str, str]:
    """A terminal whose locale is Mexican Spanish and nothing else asks for another language."""
    env = cli_env(tmp)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    env["LANG"] = "es_MX.UTF-8"
    return env


def run_spanish(tmp: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    child = start(tmp, *args, env=spanish_terminal(tmp))
    out, err = child.communicate(stdin, timeout=120)
    return child.returncode, out, err


# -- counts: the sync report the terminal prints after a run, at 0, 1, 2 and 5 ------------------


def report(n: int) -> SyncReport:
    return SyncReport(
        pushed=n, results={"applied": n} if n else {}, pulled=n, granted=[f"case-{i}" for i in range(n)]
    )


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (0, "Synced: sent 0 changes (nothing to send); received 0 records."),
        (1, "Synced: sent 1 change (1 applied); received 1 record; 1 case received."),
        (2, "Synced: sent 2 changes (2 applied); received 2 records; 2 cases received."),
        (5, "Synced: sent 5 changes (5 applied); received 5 records; 5 cases received."),
    ],
)
def test_a_sync_report_counts_in_english(n: int, said: str) -> None:
    assert describe(report(n)) == said


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (0, "Sincronizado: se enviaron 0 cambios (nada que enviar); se recibieron 0 registros."),
        (1, "Sincronizado: se envió 1 cambio (1 aplicado); se recibió 1 registro; se recibió 1 caso."),
        (2, "Sincronizado: se enviaron 2 cambios (2 aplicados); se recibieron 2 registros; se recibieron 2 casos."),
        (5, "Sincronizado: se enviaron 5 cambios (5 aplicados); se recibieron 5 registros; se recibieron 5 casos."),
    ],
)
def test_a_sync_report_counts_in_spanish(spanish: None, n: int, said: str) -> None:
    assert describe(report(n)) == said


@pytest.mark.parametrize(
    ("n", "english", "spanish_words"),
    [
        (0, "0 conflicts", "0 conflictos"),
        (1, "1 conflict", "1 conflicto"),
        (2, "2 conflicts", "2 conflictos"),
        (5, "5 conflicts", "5 conflictos"),
    ],
)
def test_conflicts_in_a_report_take_the_plural_of_each_language(n: int, english: str, spanish_words: str) -> None:
    run = SyncReport(pushed=max(n, 1), results={"conflict": n})
    assert f"({english})" in describe(run)
    i18n.use_language("es")
    try:
        assert f"({spanish_words})" in describe(run)
    finally:
        i18n.use_language("en")


# -- the real command in a Spanish terminal -------------------------------------------------------


def test_a_wrong_passphrase_is_told_in_spanish(demo_folder: Path, tmp_path: Path) -> None:
    home = copy_profile(demo_folder, tmp_path / "demo")
    code, out, err = run_spanish(tmp_path, "status", "--home", str(home), "--passphrase-stdin", stdin="not it\n")
    assert code == cli.EXIT_AUTH and out == ""
    assert "caseworker: Frase de contraseña incorrecta. Revísela y vuelva a intentarlo." in err
    assert "Wrong passphrase" not in err


def test_the_status_is_in_spanish_with_its_values_in_one_column(demo_folder: Path, tmp_path: Path) -> None:
    home = copy_profile(demo_folder, tmp_path / "demo")
    code, out, err = run_spanish(tmp_path, "status", "--home", str(home), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Casos:") and any(line.startswith("Niños con visita pendiente (mes):") for line in lines)
    assert "equipo no registrado" in out and "Cases:" not in out
    # the longest Spanish label sets the column: every value starts in the same place
    starts = {len(line) - len(line.split(":", 1)[1].lstrip()) for line in lines}
    assert len(starts) == 1, out


def test_help_is_in_spanish(tmp_path: Path) -> None:
    code, out, err = run_spanish(tmp_path, "--help")
    assert code == 0, err
    assert "Los mismos servicios que la aplicación de escritorio, desde una terminal." in out
    assert "crear un perfil cifrado en una carpeta vacía" in out
    assert "create an encrypted profile" not in out
    code, out, err = run_spanish(tmp_path, "sync", "--help")
    words = " ".join(out.split())  # argparse wraps lines to the terminal's width
    assert code == 0 and "seguir sincronizando; reintentar en silencio mientras no haya conexión" in words, err


# -- words for codes, for the window and for a family's PDF -----------------------------------------


def test_codes_read_in_spanish_in_a_spanish_app(spanish: None) -> None:
    assert as_words("very_high") == "Muy alto"
    assert as_words("home_visit") == "Visita domiciliaria"
    assert as_words("conditionally_safe") == "Condicionalmente seguro"
    assert as_words("some_new_code") == "Some new code"  # a code this version does not know: its own words


def test_a_family_pdf_reads_codes_in_the_family_language_while_the_app_speaks_english() -> None:
    family = i18n.translations("es").gettext
    assert as_words("food_backpack", translate=family) == "Programa de mochilas de alimentos"
    assert as_words("safe", translate=family) == "Seguro"
    assert as_words("food_backpack") == "Food backpack program"  # the app itself stays in English


def test_setting_descriptions_are_shown_in_the_app_language(spanish: None, tmp_path: Path) -> None:
    rows = {row.name: row for row in setting_rows(tmp_path)}
    assert rows["language"].description.startswith("Idioma de la ventana y de la terminal")
    assert rows["auto_lock_minutes"].why_not == "Solo el departamento de TI puede cambiarlo"
