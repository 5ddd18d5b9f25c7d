"""docs/it-deployment.md lists every setting as settings.py declares it, and its examples are valid policies."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from caseworker_app import settings
from caseworker_app.settings_doc import END, START, render_settings_table, splice

DOC = Path(__file__).resolve().parents[2] / "docs" / "it-deployment.md"


def test_the_settings_table_in_the_doc_matches_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert splice(text) == text, "run `python -m caseworker_app.settings_doc` to regenerate the table"


def test_the_table_has_one_row_per_setting_with_its_default_and_who_may_set_it() -> None:
    rows = [line for line in render_settings_table().splitlines() if line.startswith("| `")]
    assert [re.match(r"\| `(\w+)`", r).group(1) for r in rows] == [s.name for s in settings.SETTINGS]  # type: ignore[union-attr]
    by_name = dict(zip((s.name for s in settings.SETTINGS), rows, strict=True))
    assert "| `false` | yes | no (policy only) |" in by_name["allow_passphrase_only"]
    assert "| `3` | yes | no (policy only) |" in by_name["max_free_unlock_attempts"]
    assert "| yes, unless IT fixes it |" in by_name["agency_name"]


def test_a_changed_default_makes_the_doc_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    text = DOC.read_text(encoding="utf-8")
    changed = tuple(replace(s, default=99) if s.name == "auto_lock_minutes" else s for s in settings.SETTINGS)
    monkeypatch.setattr("caseworker_app.settings_doc.SETTINGS", changed)
    assert splice(text) != text


def test_the_doc_without_its_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="markers"):
        splice(f"# title\n{START}\nno end marker\n")
    assert END in DOC.read_text(encoding="utf-8")


def test_every_example_policy_in_the_doc_is_accepted(tmp_path: Path) -> None:
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 3
    for n, block in enumerate(blocks):
        path = tmp_path / f"example-{n}.json"
        path.write_text(block, encoding="utf-8")
        assert settings.load_policy(path), block
