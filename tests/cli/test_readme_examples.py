"""The README's shell examples run as printed, in order, against a throw-away home and server data folder.

What is changed before running, and why: `.venv/bin/` points at the interpreter running
the tests (the package is installed there already); port 8600 becomes a free port and
/tmp/field-laptop a temporary folder (other runs may use them at the same time);
CASE_ID and VISIT_ID become a reference and a short id the demo's own lists print.
`caseworker-desktop --demo` opens a window and waits for a person: it runs with
`--screenshots DIR` (offscreen), which renders every screen of the same demo and exits.
What is left out, and why: creating a venv and `pip install` (needs the package index),
the full test suite (this test is part of it) and the benchmarks (minutes of
measurements, not behaviour). ```text blocks are synopses, not examples.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import free_port

README = Path(__file__).resolve().parents[2] / "README.md"
BIN = str(Path(sys.executable).parent)


def blocks(language: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return [m.group(1) for m in re.finditer(rf"```{language}\n(.*?)```", text, re.S)]


def runnable(block: str) -> tuple[str | None, str]:
    """The block as it will run, or None with the reason it is left out."""
    if "benchmarks.run" in block:
        return None, "benchmarks take minutes and measure, they do not test"
    kept = []
    for line in block.replace("\\\n", " ").splitlines():
        parts = [p for p in line.split(" && ") if not p.startswith("python3 -m venv") and "pip install" not in p]
        if any("pytest" in p for p in parts):
            return None, "the test suite itself"
        kept.append(" && ".join(parts))
    return "\n".join(kept), ""




@pytest.mark.skipif(shutil.which("curl") is None or shutil.which("bash") is None,
                    reason="the README's examples use bash and curl")
def test_every_readme_example_runs_as_printed(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CASEWORKER_HOME", "CASEWORKER_DATABASE_URL")}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        XDG_DATA_HOME=str(tmp_path / "xdg"),
        CASEWORKER_SERVER_HOME=str(tmp_path / "server"),
        # No OS keyring here: the README says a development checkout allows passphrase-only this way.
        CASEWORKER_POLICY=str(tmp_path / "passphrase-only-policy.json"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        LANG="C.UTF-8",
        QT_QPA_PLATFORM="offscreen",
    )
    (tmp_path / "passphrase-only-policy.json").write_text('{"allow_passphrase_only": true}\n')
    work = tmp_path / "work"
    work.mkdir()
    (work / "agency-export.json").write_text(blocks("json")[0], encoding="utf-8")
    port, laptop = str(free_port()), str(tmp_path / "field-laptop")
    groups: list[int] = []
    ran, skipped = 0, []

    def shell(script: str, name: str) -> str:
        out_file, err_file = work / f"{name}.out", work / f"{name}.err"
        with open(out_file, "w") as out, open(err_file, "w") as err:
            # Files, not pipes: a server started with `&` outlives the block and would hold a pipe open.
            child = subprocess.Popen(["bash", "-e", "-o", "pipefail", "-c", script], cwd=work, env=env,
                                     stdout=out, stderr=err, start_new_session=True)
            groups.append(child.pid)
            code = child.wait(timeout=600)
        output, errors = out_file.read_text(), err_file.read_text()
        assert code == 0, f"README example failed:\n{script}\n--- stdout\n{output}\n--- stderr\n{errors}"
        return output

    try:
        outputs = []
        for number, block in enumerate(blocks("sh"), 1):
            script, reason = runnable(block)
            if script is None:
                skipped.append(reason)
                continue
            script = script.replace(".venv/bin/", f"{BIN}/").replace("8600", port)
            script = script.replace("/tmp/field-laptop", laptop)
            shots = f"caseworker-desktop --demo --screenshots {work / 'shots'}"
            script = script.replace("caseworker-desktop --demo", shots)
            if "CASE_ID" in script or "VISIT_ID" in script:
                cases = json.loads(shell(f'echo "demo passphrase" | {BIN}/caseworker cases --demo --json '
                                         "--passphrase-stdin", f"{number}-cases"))
                reference = cases[0]["reference"]
                listing = shell(f'echo "demo passphrase" | {BIN}/caseworker visits {reference} --demo '
                                "--passphrase-stdin", f"{number}-visits")
                short = listing.strip().splitlines()[2].split()[-1]
                script = script.replace("CASE_ID", reference).replace("VISIT_ID", short)
            outputs.append(shell(script, str(number)))
            ran += 1
    finally:
        for group in groups:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGTERM)
    everything = "\n".join(outputs)
    assert ran >= 6 and sorted(skipped) == ["benchmarks take minutes and measure, they do not test",
                                            "the test suite itself"]
    assert "25 families" in everything
    assert sorted(p.name for p in (work / "shots").iterdir()) == [
        "case.png", "cases.png", "conflict.png", "export.png", "first-run.png", "locked.png", "safety.png",
        "search.png", "settings.png", "sync.png", "today.png", "unlock.png", "visit-child-not-seen.png",
        "visit-not-saved.png", "visit.png",
    ]
    assert (work / "visit.pdf").exists() and (work / "history.pdf").exists()
    assert "Enrolled with http://127.0.0.1:" in everything and "Synced:" in everything
    assert "sokafor\tliaison\tactive\tsupervisor: dreyes" in everything
    assert "Imported 1 cases, 2 members, 1 schools; 1 assignments." in everything
