"""The case file's actions: open visit forms and the dialogs of each tab, each calling one use case."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caseworker_app.ui.case_file.view import CaseFileView
    from caseworker_app.ui.open_cases import OpenCases


def wire_case_actions(open_cases: OpenCases, view: CaseFileView) -> None:
    pass


def new_visit(open_cases: OpenCases) -> None:
    pass


def new_assessment(open_cases: OpenCases) -> None:
    pass


def open_draft(open_cases: OpenCases, draft: Any) -> None:
    open_cases.open_case(draft.case_id)
