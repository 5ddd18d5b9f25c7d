"""Child process of the pseudo-language test: the screenshot tour (`--screenshots`) in the pseudo
language, reading each screen as it is pictured; writes a JSON report and exits with the tour's code.

argv: HOME SHOTS_DIR REPORT.json
"""

import json
import sys
from pathlib import Path

from layout_check import read_screen
from PySide6.QtWidgets import QWidget

from caseworker_app.ui.app import launch

home, shots, report = sys.argv[1], sys.argv[2], Path(sys.argv[3])
screens: dict[str, list[dict[str, object]]] = {}


def inspect(name: str, widget: QWidget) -> None:
    screens[name.removesuffix(".png")] = [seen.as_dict() for seen in read_screen(widget)]


app, desktop = launch(["--home", home, "--screenshots", shots, "--language", "pseudo"])
assert desktop.tour is not None
desktop.tour.inspect = inspect  # type: ignore[attr-defined]
code = app.exec()
from caseworker_app.ui.background import wait_idle  # noqa: E402

wait_idle()
report.write_text(json.dumps({"screens": screens}, ensure_ascii=False, indent=1), encoding="utf-8")
sys.exit(code)
