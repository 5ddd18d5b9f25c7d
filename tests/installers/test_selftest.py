"""The self-test from source: what it checks, that it names the failing check, that it leaves nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from caseworker_app import selftest
from caseworker_app.buildinfo import git_revision
from caseworker_app.services import reports

CLI = "import sys; from caseworker_app.cli import main; sys.exit(main())"


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("caseworker-selftest-*")}


def test_self_test_passes_and_leaves_nothing() -> None:
    before = _leftovers()
    lines: list[str] = []
    assert selftest.run(out=lines.append, renderer=None) == 0
    assert [line.split(":")[0] for line in lines[1:-1]] == [
        "ok   policy", "ok   store", "ok   note", "skip window", "ok   summary", "ok   cleanup",
    ]
    assert lines[-1] == "self-test passed"
    assert _leftovers() == before


def test_a_failing_check_is_named_and_the_folder_still_goes(monkeypatch: pytest.MonkeyPatch) -> None:
    # A full disk while writing the summary: the self-test must say which check failed.
    def disk_full(*args: object, **kwargs: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reports, "export_visit_summary", disk_full)
    before = _leftovers()
    lines: list[str] = []
    assert selftest.run(out=lines.append, renderer=None) == selftest.EXIT_FAILED
    assert any(line.startswith("FAIL summary:") and "No space left" in line for line in lines)
    assert lines[-1] == "self-test FAILED at check 'summary'"
    assert _leftovers() == before


def test_a_broken_policy_is_named_with_its_line() -> None:
    policy = Path(os.environ["CASEWORKER_POLICY"])
    policy.write_text('{\n  "server_url": "https://cw.example",\n  "auto_lock_minutes": ten\n}\n', encoding="utf-8")
    lines: list[str] = []
    assert selftest.run(out=lines.append, renderer=None) == 1
    (fail,) = [line for line in lines if line.startswith("FAIL")]
    assert fail.startswith("FAIL policy:") and f"{policy}, line 3" in fail
    assert lines[-1] == "self-test FAILED at check 'policy'"


def test_window_check_runs_when_the_build_has_a_window() -> None:
    seen: list[Path] = []

    def renderer(home: Path, passphrase: str, png: Path) -> None:
        assert (home / "profile.json").exists() or any(home.iterdir())
        png.write_bytes(b"\x89PNG picture")
        seen.append(png)

    lines: list[str] = []
    assert selftest.run(out=lines.append, renderer=renderer) == 0
    assert "ok   window: main window rendered offscreen" in lines
    assert seen and not seen[0].exists()


def test_the_real_main_window_renders_offscreen() -> None:
    lines: list[str] = []
    assert selftest.find_window_renderer() is not None  # this checkout ships the desktop window
    assert selftest.run(out=lines.append) == 0, lines
    assert "ok   window: main window rendered offscreen" in lines


def test_window_that_draws_nothing_fails_the_window_check() -> None:
    lines: list[str] = []
    assert selftest.run(out=lines.append, renderer=lambda home, passphrase, png: None) == 1
    assert lines[-1] == "self-test FAILED at check 'window'"


def test_cli_flags() -> None:
    done = subprocess.run([sys.executable, "-c", CLI, "--version"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0
    assert done.stdout.strip().startswith("caseworker 0.1.0 (revision ")
    assert git_revision() in done.stdout
    done = subprocess.run([sys.executable, "-c", CLI, "--self-test"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test passed" in done.stdout
