"""The window in Spanish: menus, the profile's own menu items, the main screens and their dates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from screen_text import visible_text
from ui_kit import unlock, wait_idle

from caseworker_app import i18n
from caseworker_app.ui.app import Desktop, make_app
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.profile_menus import menu_named


@pytest.fixture
def spanish_window(qtbot: QtBot, demo_home: Path) -> Iterator[MainWindow]:
    i18n.use_language("es")
    make_app()
    desktop = Desktop(demo_home)
    desktop.start()
    try:
        window = unlock(qtbot, desktop)
        wait_idle(qtbot)
        yield window
        window.close()
        qtbot.waitUntil(lambda: getattr(window, "store_closed", False), timeout=20000)
        wait_idle(qtbot)
    finally:
        i18n.use_language("en")


def test_menus_are_spanish_and_still_hold_the_profiles_own_items(spanish_window: MainWindow) -> None:
    titles = [a.text() for a in spanish_window.menuBar().actions()]
    assert titles[:5] == ["&Archivo", "&Editar", "&Ver", "&Caso", "Ay&uda"]
    # found by name whatever the language: Settings and About are still added where they belong
    file_items = [a.text() for a in menu_named(spanish_window, "File").actions()]  # type: ignore[union-attr]
    help_items = [a.text() for a in menu_named(spanish_window, "Help").actions()]  # type: ignore[union-attr]
    assert "Con&figuración…" in file_items
    assert "Acerca &de Caseworker" in help_items


def test_today_speaks_spanish_with_spanish_dates(qtbot: QtBot, spanish_window: MainWindow) -> None:
    spanish_window.go(0)
    today = date.today()
    qtbot.waitUntil(lambda: spanish_window.today.title.text().startswith("Hoy, "), timeout=10000)
    title = spanish_window.today.title.text()
    weekdays = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
    assert weekdays[today.weekday()] in title and str(today.year) in title
    text = visible_text()
    assert "Niños con visita en persona pendiente" in text
    assert "Tareas pendientes y vencidas" in text
    assert "Children due" not in text and "Recently opened" not in text


def test_cases_filters_and_count_are_spanish(qtbot: QtBot, spanish_window: MainWindow) -> None:
    spanish_window.go(1)
    cases = spanish_window.cases
    qtbot.waitUntil(lambda: cases.model.rowCount() > 0, timeout=10000)
    assert cases.search.placeholderText() == "Buscar nombres, visitas y notas…"
    assert cases.school.itemText(0) == "Cualquier escuela"
    assert cases.stage.accessibleName() == "Filtrar por etapa"
    n = cases.model.rowCount()
    assert cases.count.text() == (f"{n} casos" if n != 1 else "1 caso")
