"""Where the shipped resources (fonts, images, translations) live."""

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return RESOURCES_DIR.joinpath(*parts)
