"""`caseworker summary` and `caseworker report`: visit summaries and case histories as PDFs."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Adds the PDF commands to the `caseworker` parser."""
