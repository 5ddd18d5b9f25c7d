"""Child process of the crash test: the real app, offscreen; types into a new visit and reports each autosave.

Prints "saved <note id>" once the draft's autosave has been written, then keeps running
(and typing) until the test kills it with SIGKILL.
"""

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest

from caseworker_app.ui.app import Desktop, make_app
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.visit_form import VisitForm

home, passphrase, text = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
app = make_app()
desktop = Desktop(home)
desktop.start()
state: dict[str, object] = {}


def step() -> None:
    window = desktop.main_window
    if "unlocked" not in state:
        if desktop.unlock_screen is not None:
            desktop.unlock_screen.passphrase.setText(passphrase)
            desktop.unlock_screen.unlock()
            state["unlocked"] = True
    elif isinstance(window, MainWindow) and "case" not in state and window.cases.model.rowCount():
        case = next(c for c in window.cases.model.cases if c.stage != "closed")
        window.open_case(case.id)
        window.open_cases.new_visit()
        state["case"] = case.id
    elif isinstance(window, MainWindow) and "form" not in state:
        form = window.open_cases.tabs.currentWidget()
        if isinstance(form, VisitForm):
            state["form"] = form
            QTest.keyClicks(form.narrative, text)
    elif "form" in state and "reported" not in state:
        form = state["form"]
        assert isinstance(form, VisitForm)
        if form.saved_label.text().startswith("Saved"):
            print(f"saved {form.note.id}", flush=True)
            state["reported"] = True
            # keep typing, unsaved, so the kill lands in the middle of work
            QTest.keyClicks(form.narrative, " and this part is typed after the last autosave")
    QTimer.singleShot(50, step)


QTimer.singleShot(50, step)
sys.exit(app.exec())
