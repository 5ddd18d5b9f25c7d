"""Bundle entry point for the `caseworker` terminal command."""

import sys

from caseworker_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
