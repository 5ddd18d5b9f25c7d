"""`caseworker-desktop --demo --screenshots DIR`: creates the demo, renders each screen offscreen, exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

SCREENS = ("unlock", "today", "cases", "search", "case", "visit", "safety", "first-run", "locked")


def test_screenshots_of_every_screen(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run(
        [sys.executable, "-m", "caseworker_app.ui.app", "--demo", "--home", str(tmp_path / "demo"),
         "--screenshots", str(out)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for name in SCREENS:
        image = QImage(str(out / f"{name}.png"))
        assert not image.isNull(), name
        assert (image.width(), image.height()) == (1280, 800), name
        # not a blank grab: a rendered screen has many distinct colours
        colours = {image.pixel(x, y) for x in range(0, 1280, 37) for y in range(0, 800, 23)}
        assert len(colours) > 8, name
    # The export dialog is shot on its own, at its own size, with the first page previewed.
    export = QImage(str(out / "export.png"))
    assert not export.isNull()
    assert export.width() >= 900 and export.height() >= 400
    colours = {export.pixel(x, y) for x in range(0, export.width(), 29) for y in range(0, export.height(), 17)}
    assert len(colours) > 8
    # the Sync page and a conflict, from a laptop enrolled with a real server on loopback
    for name in ("sync", "conflict"):
        image = QImage(str(out / f"{name}.png"))
        assert not image.isNull(), name
        assert image.width() >= 800 and image.height() >= 200, name
        colours = {image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 11)}
        assert len(colours) > 8, name
