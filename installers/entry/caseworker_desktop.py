"""Bundle entry point for `caseworker-desktop`: --self-test and --version answer before Qt starts."""

import sys


def run() -> int:
    if "--self-test" in sys.argv[1:]:
        from caseworker_app import selftest

        return selftest.run(program="caseworker-desktop")
    if "--version" in sys.argv[1:]:
        from caseworker_app.buildinfo import version_line

        print(version_line("caseworker-desktop"))
        return 0
    from caseworker_app.ui.app import main

    return int(main() or 0)


if __name__ == "__main__":
    sys.exit(run())
