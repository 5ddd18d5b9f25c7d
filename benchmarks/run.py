"""One runner for every benchmark: `python -m benchmarks.run [store|reports|server|sync|desktop ...]`.

Each figure prints with its ratio to a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import importlib

SUITES = {
    "store": "benchmarks.store_bench",
    "reports": "benchmarks.report_bench",
    "server": "benchmarks.server_bench",
    "sync": "benchmarks.sync_bench",
    "installers": "benchmarks.installer_bench",
    "desktop": "benchmarks.desktop_bench",
    "first-run": "benchmarks.first_run_bench",
    "desktop-sync": "benchmarks.desktop_sync_bench",
    "labels": "benchmarks.labels_bench",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("suites", nargs="*", help=f"any of {', '.join(SUITES)}; default: all")
    args = parser.parse_args()
    unknown = [s for s in args.suites if s not in SUITES]
    if unknown:
        parser.error(f"unknown suite {unknown[0]}; choose from {', '.join(SUITES)}")
    for name in args.suites or list(SUITES):
        try:
            module = importlib.import_module(SUITES[name])
        except ModuleNotFoundError as exc:
            if exc.name == SUITES[name]:
                print(f"\n[{name}] not present yet")
                continue
            raise
        module.main()


if __name__ == "__main__":
    main()
