"""The visit form in Spanish: its field labels, buttons and the finalize check read in Spanish (compiled es catalog)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot
from ui_kit import open_first_case, wait_for_box, wait_idle

from caseworker_app import i18n
from caseworker_app.ui import visit_io
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.visit_form import VisitForm


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.use_language("es")
    try:
        yield
    finally:
        i18n.use_language("en")


def visible_labels(form: VisitForm) -> set[str]:
    return {label.text().replace("&", "") for label in form.findChildren(QLabel)}


def test_visit_form_reads_in_spanish_and_says_what_is_missing_in_spanish(
    qtbot: QtBot, window: MainWindow, spanish: None
) -> None:
    view = open_first_case(qtbot, window)
    form = VisitForm(window.store, visit_io.start_visit(window.store, view.case_id))
    qtbot.addWidget(form)
    form.show()

    labels = visible_labels(form)
    for caption in ("Tipo de contacto:", "Estado:", "Fecha y hora:", "Lugar:", "Participantes:",
                    "Otras personas presentes:", "Niños:", "Propósito:", "Observaciones:", "Nota narrativa:"):
        assert caption in labels
    assert "Purpose:" not in labels and "Narrative:" not in labels
    assert "(borrador)" in form.title.text()
    buttons = {button.text().replace("&", "") for button in form.findChildren(QPushButton)}
    assert {"Finalizar…", "Guardar ahora", "Descartar borrador…"} <= buttons

    form.narrative.setPlainText("Visita en casa después de la escuela.")
    form.finalize_button.click()
    missing = wait_for_box(qtbot, "Finalizar la visita")
    assert missing.text().startswith("Antes de finalizar, complete:")
    missing.accept()
    wait_idle(qtbot)
    assert not form.is_final
