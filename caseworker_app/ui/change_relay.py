"""Change announcements from the core, re-emitted as a Qt signal on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from caseworker_app.services import changes
from caseworker_app.services.changes import Changes


class ChangeRelay(QObject):
    """Made on the GUI thread; `changed` is delivered there whichever thread announced."""

    changed = Signal(object)  # Changes

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = changes.listen(self.changed.emit)  # queued across threads by Qt
        # Holds only the stop function, never the relay, so the relay can still be freed.
        self.destroyed.connect(lambda *_a, stop=self._stop: stop())

    def stop(self) -> None:
        self._stop()


def relay_changes(parent: QObject) -> ChangeRelay:
    return ChangeRelay(parent)


__all__ = ["ChangeRelay", "Changes", "relay_changes"]
