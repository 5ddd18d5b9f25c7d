"""The app icon, drawn at each size the hicolor theme and Windows expect (no binary art in the repository)."""

from __future__ import annotations

from pathlib import Path

from common import ROOT
from PIL import Image, ImageDraw, ImageFont

HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE = (31, 78, 121, 255)
PAPER = (250, 250, 247, 255)
FONT = ROOT / "resources" / "fonts" / "DejaVuSans-Bold.ttf"


def draw_icon(size: int) -> Image.Image:
    """A blue rounded square holding a sheet of paper marked with a bold C."""
    # Drawn large and scaled down, so small sizes stay smooth.
    big = 512
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((16, 16, big - 16, big - 16), radius=96, fill=BLUE)
    d.rounded_rectangle((128, 88, big - 128, big - 88), radius=24, fill=PAPER)
    font = ImageFont.truetype(str(FONT), 260)
    d.text((big / 2, big / 2 + 8), "C", font=font, fill=BLUE, anchor="mm")
    return img.resize((size, size), Image.Resampling.LANCZOS)


def write_hicolor(share: Path, name: str = "caseworker") -> list[Path]:
    written = []
    for size in HICOLOR_SIZES:
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        draw_icon(size).save(target, optimize=True)
        written.append(target)
    return written


def write_ico(target: Path) -> Path:
    draw_icon(256).save(target, sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    return target
