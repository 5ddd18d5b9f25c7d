"""One child's outcome at a contact: seen, seen alone, or not seen and why (with words for "other")."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit

from caseworker_app.domain.entities import ChildSeen, Person
from caseworker_app.i18n import N_, _

NOT_RECORDED = ""
LEGACY_NOT_SEEN = "not_seen"  # recorded before reasons were: not seen, no reason given
OUTCOMES: tuple[tuple[str, str], ...] = (
    (NOT_RECORDED, N_("Choose: seen or not seen…")),
    ("seen", N_("Seen")),
    ("seen_alone", N_("Seen alone")),
    ("not_home", N_("Not seen: not home")),
    ("at_school", N_("Not seen: at school")),
    ("refused", N_("Not seen: refused")),
    ("other", N_("Not seen: other reason")),
)


@dataclass
class ChildRow:
    person: Person
    outcome: QComboBox
    why: QLineEdit

    def value(self) -> tuple[str, str, str]:
        return self.person.id, str(self.outcome.currentData() or ""), self.why.text()

    def load(self, record: ChildSeen | None) -> None:
        outcome = record.outcome if record is not None else NOT_RECORDED
        if outcome == LEGACY_NOT_SEEN and self.outcome.findData(LEGACY_NOT_SEEN) < 0:
            self.outcome.addItem(_("Not seen (no reason recorded)"), LEGACY_NOT_SEEN)
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(outcome)))
        self.why.setText(record.not_seen_note if record is not None else "")
        self.follow()

    def follow(self) -> None:
        """The words box is there only for "other"."""
        self.why.setVisible(self.outcome.currentData() == "other")

    def set_enabled(self, enabled: bool) -> None:
        self.outcome.setEnabled(enabled)
        self.why.setReadOnly(not enabled)


def add_child_row(grid: QGridLayout, row: int, child: Person) -> ChildRow:
    outcome = QComboBox()
    for code, text in OUTCOMES:
        outcome.addItem(_(text), code)
    outcome.setAccessibleName(_("Was {name} seen?").format(name=child.full_name))
    why = QLineEdit()
    why.setPlaceholderText(_("Why {name} was not seen").format(name=child.full_name))
    why.setAccessibleName(_("Why {name} was not seen").format(name=child.full_name))

    name = QLabel(child.full_name)
    name.setBuddy(outcome)
    grid.addWidget(name, row, 0)
    grid.addWidget(outcome, row, 1)
    grid.addWidget(why, row, 2)
    found = ChildRow(child, outcome, why)
    outcome.currentIndexChanged.connect(lambda _i: found.follow())
    found.follow()
    return found
