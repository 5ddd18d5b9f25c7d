"""Child process of the steady-typing crash test: the real app, offscreen, typing without a pause.

Opens a new visit in the first open case, prints "visit <id>", then types one character
of the text every 150 ms (never pausing a second) and prints "typed <n>" after each key,
until the test kills it with SIGKILL.
"""

import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from caseworker_app.ui.app import Desktop, make_app
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.visit_form import VisitForm

KEY_EVERY_MS = 150
home, passphrase, text = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
app = make_app()
desktop = Desktop(home)
desktop.start()
state: dict[str, object] = {"typed": 0}


def type_one() -> None:
    form = state["form"]
    assert isinstance(form, VisitForm)
    typed = int(str(state["typed"]))
    if typed < len(text):
        QTest.keyClick(form.narrative, text[typed], Qt.KeyboardModifier.NoModifier, 0)
        state["typed"] = typed + 1
        print(f"typed {typed + 1}", flush=True)
    QTimer.singleShot(KEY_EVERY_MS, type_one)


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
            form.narrative.setFocus()
            print(f"visit {form.visit.id}", flush=True)
            QTimer.singleShot(KEY_EVERY_MS, type_one)
            return
    QTimer.singleShot(50, step)


QTimer.singleShot(50, step)
sys.exit(app.exec())
