"""Search results as a tree: one row per case (family, reference, school, stage, how many matches),
its hits beneath it (where the words were found and the marked snippet)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QStandardItem, QStandardItemModel

from caseworker_app.i18n import N_, _, ngettext
from caseworker_app.services.search_page import CaseMatches, SearchPage
from caseworker_app.ui.labels import label
from caseworker_app.ui.models.rows import PAYLOAD_ROLE

FAMILY, REFERENCE, SCHOOL, STAGE, MATCH = range(5)
# marked here, translated where shown: tables built at import would keep the first language
HEADERS = [N_("Family / found in"), N_("Reference"), N_("School"), N_("Stage"), N_("Match")]
KIND_LABELS = {"case": N_("Case"), "person": N_("Person"), "visit": N_("Visit"), "note": N_("Note")}


def _item(text: str, case_id: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(case_id, PAYLOAD_ROLE)  # every cell opens its case
    return item


class SearchResultsModel(QStandardItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels([_(header) for header in HEADERS])
        self.cases: list[CaseMatches] = []

    def set_page(self, page: SearchPage, readable: Callable[[str], str] = str) -> None:
        """Rebuild from a search page; `readable` turns codes in a snippet into words."""
        self.cases = page.cases
        self.removeRows(0, self.rowCount())
        root = self.invisibleRootItem()
        for case in page.cases:
            count = ngettext("{n} match", "{n} matches", len(case.hits)).format(n=len(case.hits))
            row = [
                _item(case.family_name, case.case_id),
                _item(case.reference, case.case_id),
                _item(case.school, case.case_id),
                _item(label(case.stage) if case.stage else "", case.case_id),
                _item(count, case.case_id),
            ]
            for hit in case.hits:
                row[0].appendRow([
                    _item(_(KIND_LABELS[hit.kind]) if hit.kind in KIND_LABELS else hit.kind, case.case_id),
                    _item("", case.case_id),
                    _item("", case.case_id),
                    _item("", case.case_id),
                    _item(readable(hit.snippet), case.case_id),
                ])
            root.appendRow(row)
