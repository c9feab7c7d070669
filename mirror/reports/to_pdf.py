"""PDF via reportlab, the way Word or WPS export a report: CJK text, ruled tables with spans,
"- N -" page footers, tables running over page breaks.

Fonts: "embedded" subsets WenQuanYi Micro Hei into the file (what Word/WPS exports do with TrueType
fonts); "cid" uses the non-embedded Adobe CID font STSong-Light, as older PDF producers did.
"""

from __future__ import annotations

import io
import os
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as RLTable

from mirror.reports.printed import Para, PrintedReport, Table

WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FRAME_WIDTH = A4[0] - 54 * mm


@cache
def _font(kind: str) -> str:
    """Register the font once per process; fall back to the CID font where WenQuanYi is missing."""
    if kind == "embedded" and os.path.exists(WQY):
        pdfmetrics.registerFont(TTFont("WQYMicroHei", WQY, subfontIndex=0))
        return "WQYMicroHei"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=12,
        leading=20,
        wordWrap="CJK",
        alignment=TA_JUSTIFY,
        firstLineIndent=24,
    )
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=18, leading=28, alignment=TA_CENTER, firstLineIndent=0
        ),
        "heading": ParagraphStyle("heading", parent=base, spaceBefore=4),
        "subheading": ParagraphStyle("subheading", parent=base),
        "appendix": ParagraphStyle("appendix", parent=base, firstLineIndent=0, spaceBefore=8),
        "body": base,
        "caption": ParagraphStyle("caption", parent=base, fontSize=10, leading=14),
        "cell": ParagraphStyle(
            "cell", fontName=font, fontSize=9, leading=11.5, wordWrap="CJK", alignment=TA_CENTER
        ),
        "cell_left": ParagraphStyle(
            "cell_left", fontName=font, fontSize=9, leading=11.5, wordWrap="CJK", alignment=TA_LEFT
        ),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fit(text: str, width: float, font: str, size: float) -> list[str]:
    """Break a cell line to the column width the way Word does (anywhere in CJK text), keeping digit
    runs whole where possible: reportlab's CJK wrap leaves "34956（其中修订4923件）" unbroken and it
    would overflow into the next column."""
    lines: list[str] = []
    start = 0
    while start < len(text):
        end = start + 1
        while end < len(text) and pdfmetrics.stringWidth(text[start : end + 1], font, size) <= width:
            end += 1
        if end < len(text):
            cut = end
            while cut > start + 1 and text[cut - 1].isdigit() and text[cut].isdigit():
                cut -= 1  # do not break inside a number
            end = cut if cut > start + 1 else end
        lines.append(text[start:end])
        start = end
    return lines or [""]


def _flow_table(t: Table, st: dict[str, ParagraphStyle]) -> RLTable:
    total = sum(t.widths)
    widths = [FRAME_WIDTH * w / total for w in t.widths]
    data: list[list[object]] = [[""] * t.ncols for _ in t.rows]
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for r, c, cell in t.placed():
        style = st["cell"] if cell.align == "center" else st["cell_left"]
        room = sum(widths[c : c + cell.colspan]) - 5  # the cell's paddings and a little slack
        fitted = [
            part
            for line in cell.text.split("\n")
            for part in _fit(line, room, style.fontName, style.fontSize)
        ]
        lines = [_escape(x).replace(" ", "&nbsp;") for x in fitted]
        data[r][c] = Paragraph("<br/>".join(lines), style) if cell.text.strip() else ""
        if cell.rowspan > 1 or cell.colspan > 1:
            commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    return RLTable(data, colWidths=widths, style=TableStyle(commands), splitByRow=1, splitInRow=0)


def _footer(font: str):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 11)
        canvas.drawCentredString(A4[0] / 2, 18 * mm, f"- {doc.page} -")
        canvas.restoreState()

    return draw


def render_printed_pdf(pr: PrintedReport) -> bytes:
    font = _font(pr.style.get("pdf_font", "embedded"))
    st = _styles(font)
    story: list[object] = []
    for block in pr.blocks:
        if isinstance(block, Para):
            story.append(Paragraph(_escape(block.text), st.get(block.style, st["body"])))
            continue
        story.append(Spacer(1, 4))
        for i, piece in enumerate(block.pieces()):
            if i:
                story.append(PageBreak())
            story.append(_flow_table(piece, st))
        story.append(Spacer(1, 6))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=27 * mm,
        rightMargin=27 * mm,
        topMargin=30 * mm,
        bottomMargin=30 * mm,
        title=pr.title,
        author="Administrator",
        creator="WPS 文字",
        producer="WPS 文字",
        invariant=True,  # no clock time in the file: the same report always gives the same bytes
    )
    draw = _footer(font)
    doc.build(story, onFirstPage=draw, onLaterPages=draw)
    return buf.getvalue()
