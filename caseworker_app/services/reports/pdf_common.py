"""What every report PDF shares: fonts, styles, page furniture, and flowing text and tables.

All text is set in DejaVu Sans (shipped in resources/fonts) so names in accented
Latin, Greek and Cyrillic print and stay extractable. Page furniture (running
header, confidentiality footer, "Page X of Y", DRAFT mark) is drawn once the page
count is known, by a canvas that holds its pages until save.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from caseworker_app.resources import resource
from caseworker_app.services.reports.language import DocumentText

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"

PAGE_SIZE = LETTER
MARGIN = 0.75 * inch
TOP_MARGIN = 0.9 * inch
BOTTOM_MARGIN = 1.0 * inch
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN

INK = colors.HexColor("#1d2b30")
MUTED = colors.HexColor("#5b6b70")
ACCENT = colors.HexColor("#1f5e68")
RULE = colors.HexColor("#c9d3d6")
SHADE = colors.HexColor("#eaf1f2")
ALERT = colors.HexColor("#a3261b")

# Text longer than this goes below a table rather than in a cell: a table row
# cannot split across pages, so a huge cell would not fit.
CELL_LIMIT = 700
# Very long paragraphs are cut at sentence ends into pieces of about this size
# so page breaking stays fast on 40-page narratives.
PARAGRAPH_CHUNK = 2500


@cache
def register_fonts() -> None:
    """Register DejaVu Sans once per process (parsing the font files is the slow part)."""
    pdfmetrics.registerFont(TTFont(FONT, str(resource("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(resource("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_ITALIC, str(resource("fonts", "DejaVuSans-Oblique.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h2: ParagraphStyle
    h2_table: ParagraphStyle
    h3: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    label: ParagraphStyle
    sublabel: ParagraphStyle
    bullet: ParagraphStyle
    notice: ParagraphStyle
    right: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, spaceAfter=4)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, spaceAfter=0)
    h2 = ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=12, leading=15,
                        textColor=ACCENT, spaceBefore=12, spaceAfter=5, keepWithNext=1)
    return Styles(
        body=body,
        small=small,
        muted=ParagraphStyle("muted", parent=small, textColor=MUTED),
        title=ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=17, leading=21,
                             textColor=ACCENT, spaceAfter=2),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=10.5, leading=14, textColor=MUTED),
        h2=h2,
        h2_table=ParagraphStyle("h2_table", parent=h2, keepWithNext=0),
        h3=ParagraphStyle("h3", parent=body, fontName=FONT_BOLD, fontSize=10, leading=13,
                          spaceBefore=8, spaceAfter=3, keepWithNext=1),
        cell=ParagraphStyle("cell", parent=small, spaceAfter=0),
        cell_head=ParagraphStyle("cell_head", parent=small, fontName=FONT_BOLD, textColor=ACCENT),
        label=ParagraphStyle("label", parent=small, fontName=FONT_BOLD, textColor=MUTED),
        sublabel=ParagraphStyle("sublabel", parent=small, fontName=FONT_BOLD, spaceBefore=5,
                                spaceAfter=1, keepWithNext=1),
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=12, bulletIndent=2, spaceAfter=1,
                              bulletFontName=FONT),
        notice=ParagraphStyle("notice", parent=small, textColor=ACCENT, backColor=SHADE,
                              borderPadding=5, spaceBefore=6, spaceAfter=8),
        right=ParagraphStyle("right", parent=small, alignment=TA_RIGHT),
    )


# ---- formatting (dates and numbers: the document's DocumentText) --------------------------------


def nowrap(text: str) -> str:
    """Spaces that a table cell may not break at, so "Sep 30, 2026" never wraps mid-date."""
    return text.replace(" ", "\u00a0")


def esc(text: str) -> str:
    """User text made safe for Paragraph markup, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


def markup(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of our own markup (already escaped where it holds user text)."""
    return Paragraph(text, style or styles().body)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _chunks(paragraph: str) -> Iterable[str]:
    if len(paragraph) <= PARAGRAPH_CHUNK:
        yield paragraph
        return
    piece = ""
    for sentence in _SENTENCE_END.split(paragraph):
        if piece and len(piece) + len(sentence) > PARAGRAPH_CHUNK:
            yield piece
            piece = ""
        piece = f"{piece} {sentence}" if piece else sentence
    if piece:
        yield piece


def text_flowables(text: str, style: ParagraphStyle | None = None) -> list[Flowable]:
    """Free text as paragraphs that flow across pages: one per paragraph of the text."""
    style = style or styles().body
    result: list[Flowable] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if not block.strip():
            continue
        for piece in _chunks(block.strip()):
            result.append(Paragraph(esc(piece), style))
    return result


def heading(text: str, level: int = 2) -> Paragraph:
    s = styles()
    return Paragraph(esc(text), s.h2 if level == 2 else s.h3)


def table_heading(text: str) -> list[Flowable]:
    """A heading over a table: kept off the page foot, but not glued to the whole table
    (keepWithNext would push a table that fits on one page to the next page, leaving a gap)."""
    s = styles()
    return [CondPageBreak(1.4 * inch), Paragraph(esc(text), s.h2_table)]


def bullets(items: Iterable[str]) -> list[Flowable]:
    s = styles()
    return [Paragraph(esc(item), s.bullet, bulletText="•") for item in items]


def none_recorded(text: str) -> Paragraph:
    """A muted line saying that nothing of a kind was recorded (already in the document's language)."""
    return Paragraph(esc(text), styles().muted)


# ---- tables -----------------------------------------------------------------------------------


def _table_style(header: bool) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT)]
    return TableStyle(commands)


@dataclass
class TableBuilder:
    """A table of text that splits across pages (header repeated); over-long cells become notes below."""

    t: DocumentText
    headers: Sequence[str]
    widths: Sequence[float]  # fractions of the content width
    rows: list[list[Flowable]] = field(default_factory=list)
    overflow: list[Flowable] = field(default_factory=list)

    def cell(self, text: str, *, bold: bool = False, alert: bool = False) -> Flowable:
        s = styles()
        if len(text) > CELL_LIMIT:
            number = len(self.overflow) + 1
            self.overflow.append(markup(f"<b>[{number}]</b> {esc(text)}", s.small))
            more = self.t._("(continued in note [{number}] below)").format(number=number)
            return markup(f"{esc(text[:200].rstrip())}… <i>{esc(more)}</i>", s.cell)
        body = esc(text) or "—"
        if bold:
            body = f"<b>{body}</b>"
        if alert:
            body = f'<font color="{ALERT.hexval()}">{body}</font>'
        return markup(body, s.cell)

    def add(self, *cells: str | Flowable) -> None:
        self.rows.append([c if isinstance(c, Flowable) else self.cell(c) for c in cells])

    def build(self) -> list[Flowable]:
        s = styles()
        data: list[list[Flowable]] = [[markup(esc(h), s.cell_head) for h in self.headers], *self.rows]
        table = LongTable(data, colWidths=[w * CONTENT_WIDTH for w in self.widths], repeatRows=1,
                          hAlign="LEFT")
        style = _table_style(header=True)
        table.setStyle(style)
        if self.overflow:
            return [table, Spacer(1, 4), *self.overflow]
        return [table]


def facts(pairs: Sequence[tuple[str, str]], columns: int = 2) -> Flowable:
    """Label/value pairs in a compact grid (short values only: case facts, dates)."""
    s = styles()
    cells = [[markup(esc(k), s.label), markup(esc(v) or "—", s.cell)] for k, v in pairs]
    rows: list[list[Flowable | str]] = []
    for i in range(0, len(cells), columns):
        row: list[Flowable | str] = []
        for pair in cells[i : i + columns]:
            row += pair
        row += [""] * (2 * columns - len(row))
        rows.append(row)
    label_w = 0.16  # room for a label such as "Trabajador(a)" on one line
    value_w = 1 / columns - label_w
    widths = [w * CONTENT_WIDTH for _ in range(columns) for w in (label_w, value_w)]
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(_table_style(header=False))
    return table


def title_block(agency_name: str, logo: Path | None, title: str, subtitle: str) -> Flowable:
    s = styles()
    text = [
        markup(esc(agency_name), s.subtitle),
        markup(esc(title), s.title),
        markup(esc(subtitle), s.subtitle),
    ]
    logo_cell: Flowable | str = ""
    size = 0.8 * inch
    if logo is not None:
        logo_cell = Image(str(logo), width=size, height=size, kind="proportional")
    table = Table([[logo_cell, text]], colWidths=[size + 12, CONTENT_WIDTH - size - 12], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, ACCENT),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]))
    return KeepTogether([table, Spacer(1, 6)])


# ---- page furniture and building ----------------------------------------------------------------


@dataclass(frozen=True)
class PageFurniture:
    """What is drawn on every page around the content."""

    running_header: str
    confidentiality: str
    audience_label: str
    generated: str
    draft: bool
    t: DocumentText  # the page number, the DRAFT marks and the line saying the document's language


class _FurnishedCanvas(Canvas):
    """Holds pages until save so each can say "Page X of Y" and carry the DRAFT mark on top."""

    def __init__(self, *args: Any, furniture: PageFurniture, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # the documented numbered-canvas recipe

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_furniture(number, total)
            super().showPage()
        super().save()

    def _draw_furniture(self, number: int, total: int) -> None:
        f = self._furniture
        width, height = PAGE_SIZE
        self.saveState()
        # Running header.
        self.setFont(FONT, 8)
        self.setFillColor(MUTED)
        header = f.running_header + ("  ·  " + f.t._("DRAFT — NOT FINALIZED") if f.draft else "")
        self.drawString(MARGIN, height - 0.5 * inch, header)
        # Which language the document is in, in English too, so any colleague can tell.
        written = f.t.written_in()
        self.setFont(FONT, 7)
        room = CONTENT_WIDTH - self.stringWidth(header, FONT, 8) - 12
        below = self.stringWidth(written, FONT, 7) > room
        self.drawRightString(width - MARGIN, height - (0.7 if below else 0.5) * inch, written)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, height - 0.56 * inch, width - MARGIN, height - 0.56 * inch)
        # Footer: confidentiality on the left, page number on the right.
        self.line(MARGIN, 0.82 * inch, width - MARGIN, 0.82 * inch)
        page_text = f.t._("Page {number} of {total}").format(number=f.t.number(number), total=f.t.number(total))
        self.setFont(FONT_BOLD, 8)
        self.setFillColor(INK)
        self.drawRightString(width - MARGIN, 0.66 * inch, page_text)
        self.setFont(FONT, 7)
        self.setFillColor(MUTED)
        self.drawRightString(width - MARGIN, 0.52 * inch, f.audience_label)
        self.drawRightString(width - MARGIN, 0.40 * inch, f.generated)
        text_width = CONTENT_WIDTH - 1.9 * inch
        y = 0.66 * inch
        for line in simpleSplit(f.confidentiality, FONT, 7, text_width)[:3]:
            self.drawString(MARGIN, y, line)
            y -= 9
        if f.draft:
            self._draw_draft_mark(width, height, f.t._("DRAFT"))
        self.restoreState()

    def _draw_draft_mark(self, width: float, height: float, word: str) -> None:
        self.saveState()
        self.setFillColor(ALERT, alpha=0.13)
        # "BORRADOR" is longer than "DRAFT": the mark shrinks to stay on the page.
        size = min(120.0, 120.0 * 330 / max(self.stringWidth(word, FONT_BOLD, 120), 1))
        self.setFont(FONT_BOLD, size)
        self.translate(width / 2, height / 2)
        self.rotate(40)
        self.drawCentredString(0, -size / 3, word)
        self.restoreState()


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    subject: str
    author: str
    lang: str = "en-US"  # the /Lang of the PDF


def build_pdf(story: list[Flowable], furniture: PageFurniture, info: DocumentInfo) -> bytes:
    """Lay out the story on letter pages with the furniture and return the PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=info.title,
        subject=info.subject,
        author=info.author,
        creator="Caseworker",
        lang=info.lang,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="content")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=partial(_FurnishedCanvas, furniture=furniture))
    return buffer.getvalue()
