import subprocess
import sys


def test_core_packages_import_without_qt() -> None:
    code = (
        "import sys\n"
        "import caseworker_app.domain, caseworker_app.store.local_store, caseworker_app.store.queries\n"
        "import caseworker_app.sync, caseworker_app.services.casework, caseworker_app.demo.profile\n"
        "import caseworker_app.cli\n"
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
