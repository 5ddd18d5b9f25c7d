"""Safety actions: assessments, safety plans and permanency goals (wired once their use cases exist)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caseworker_app.ui.open_cases import OpenCases


def new_assessment(open_cases: OpenCases, visit: Any = None) -> None:
    open_cases.window().statusTip()
