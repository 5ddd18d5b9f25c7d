"""The first sync of the large profile through the first-run wizard, against the same from the terminal.

Both enroll a new profile with a real `caseworker-server` process (PostgreSQL, the large demo
caseload: 300 cases, about 20,000 records), derive the key with the default argon2 cost, and
receive the whole caseload. The terminal is `caseworker enroll` run in this process; the wizard
is the window's own pages, timed from "Create profile" until the main window lists the cases.
Runs alternate, so both see the same machine load. Target: wizard <= 1.3 x terminal.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure, print_figures
from benchmarks.server_bench import PASSWORD, pg_database, server
from caseworker_server.bootstrap import init_database
from caseworker_server.db import Database
from caseworker_server.demo import seed_demo

RUNS = int(os.environ.get("CASEWORKER_BENCH_FIRST_RUNS", "4"))
PASSPHRASE = "lantern orchard velvet compass"
USERNAME = "liaison"


def no_keyring_policy(folder: Path) -> None:
    """This benchmark runs where no OS keyring is: IT's policy allows a passphrase-only profile."""
    import keyring
    import keyring.backends.fail

    policy = folder / "policy.json"
    policy.write_text(json.dumps({"allow_passphrase_only": True}))
    os.environ["CASEWORKER_POLICY"] = str(policy)
    keyring.set_keyring(keyring.backends.fail.Keyring())


def terminal_run(home: Path, base: str) -> float:
    from caseworker_app import cli

    stdin, stdout = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = io.StringIO(f"{PASSPHRASE}\n{PASSWORD}\n"), io.StringIO()
    try:
        start = time.perf_counter()
        code = cli.main(["enroll", "--home", str(home), "--server", base, "--username", USERNAME,
                         "--passphrase-stdin", "--password-stdin"])
        elapsed = time.perf_counter() - start
    finally:
        out = sys.stdout.getvalue()
        sys.stdin, sys.stdout = stdin, stdout
    assert code == 0 and "received" in out, out
    return elapsed


def wizard_run(home: Path, base: str) -> tuple[float, int]:
    from PySide6.QtWidgets import QApplication

    from caseworker_app.services.first_run import Choice
    from caseworker_app.ui.app import Desktop, make_app
    from caseworker_app.ui.background import busy
    from caseworker_app.ui.main_window import MainWindow

    app = make_app()

    def until(ready: object, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while not ready():  # type: ignore[operator]
            if time.monotonic() > deadline:
                raise TimeoutError("the wizard did not finish")
            app.processEvents()
            time.sleep(0.001)

    desktop = Desktop(home)
    desktop.start()
    until(lambda: desktop.first_run is not None)
    pages = desktop.first_run
    pages.choose(Choice.AGENCY)  # type: ignore[union-attr]
    pages.server.setText(base)  # type: ignore[union-attr]
    pages.username.setText(USERNAME)  # type: ignore[union-attr]
    pages.password.setText(PASSWORD)  # type: ignore[union-attr]
    pages.next()  # type: ignore[union-attr]
    pages.passphrase.setText(PASSPHRASE)  # type: ignore[union-attr]
    pages.confirm.setText(PASSPHRASE)  # type: ignore[union-attr]
    until(lambda: not busy())  # the strength meter's scoring is not part of the sync
    start = time.perf_counter()
    pages.next()  # type: ignore[union-attr]  # "Create profile": enroll, then the first sync
    until(lambda: isinstance(desktop.main_window, MainWindow) and desktop.main_window.cases.model.rowCount() > 0)
    elapsed = time.perf_counter() - start
    window = desktop.main_window
    assert isinstance(window, MainWindow)
    cases = window.cases.model.rowCount()
    window.close()
    until(lambda: window.store_closed and not busy())
    QApplication.processEvents()
    return elapsed, cases


def run() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with pg_database() as url, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        no_keyring_policy(folder)
        init_database(url)
        db = Database(url)
        with db.write() as session:
            seed_demo(session, PASSWORD, profile="large")
        db.refresh_statistics()  # as the seed-demo and import commands do
        db.dispose()
        terminal: list[float] = []
        wizard: list[float] = []
        cases = 0
        with server(url) as port:
            base = f"http://127.0.0.1:{port}"
            terminal_run(folder / "warm-up", base)  # imports and the server's first answers
            for n in range(RUNS):
                # Alternating which goes first, so neither always follows the other's clean-up.
                if n % 2:
                    seconds, cases = wizard_run(folder / f"wizard-{n}", base)
                    wizard.append(seconds)
                terminal.append(terminal_run(folder / f"terminal-{n}", base))
                if not n % 2:
                    seconds, cases = wizard_run(folder / f"wizard-{n}", base)
                    wizard.append(seconds)
    ratio = statistics.median(wizard) / statistics.median(terminal)
    print("\nruns (s): wizard " + ", ".join(f"{s:.2f}" for s in wizard)
          + "; terminal " + ", ".join(f"{s:.2f}" for s in terminal))
    print(
        f"\nfirst sync of the large profile ({cases} cases): wizard {statistics.median(wizard):.2f} s, "
        f"terminal {statistics.median(terminal):.2f} s (medians of {RUNS}); ratio {ratio:.2f} (target <= 1.3)"
    )
    return [
        Figure("first sync via the wizard, large profile", wizard, "terminal enroll",
               statistics.median(terminal), "<= 1.3 x terminal"),
    ]


def main() -> None:
    print_figures("First run: the wizard against the terminal, server on PostgreSQL", run())


if __name__ == "__main__":
    main()
