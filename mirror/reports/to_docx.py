"""DOCX via python-docx: official-document fonts, ruled tables with merged cells, "- N -" page footers.

A page break inside a table cannot be stored in DOCX (Word paginates when it lays out), so the
variant is written the way authors force it: the table is cut into two tables with a page break
between them, the merged label cut with it.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from mirror.reports.printed import Para, PrintedReport, Table
from mirror.reports.zipfix import pin_zip

_FONTS = {
    "title": ("方正小标宋简体", 22, True),
    "heading": ("黑体", 16, False),
    "subheading": ("楷体_GB2312", 16, False),
    "body": ("仿宋_GB2312", 16, False),
    "appendix": ("黑体", 16, False),
    "caption": ("仿宋_GB2312", 12, False),
}


def _font(run, east_asian: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asian)


def _page_footer(doc) -> None:
    """Centered "- PAGE -" footer, as Chinese official documents number their pages."""
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("- "), "宋体", 14)
    run = p.add_run()
    _font(run, "宋体", 14)
    for tag, attr in (("w:fldChar", "begin"), ("w:instrText", None), ("w:fldChar", "separate")):
        el = OxmlElement(tag)
        if attr:
            el.set(qn("w:fldCharType"), attr)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = "PAGE"
        run._r.append(el)
    num = p.add_run("1")
    _font(num, "宋体", 14)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    num._r.append(end)
    _font(p.add_run(" -"), "宋体", 14)


def _add_table(doc, t: Table) -> None:
    table = doc.add_table(rows=len(t.rows), cols=t.ncols)
    table.style = "Table Grid"
    total = sum(t.widths)
    width_cm = 15.6
    for i, col in enumerate(table.columns):
        col.width = Cm(width_cm * t.widths[i] / total)
    # table.cell() walks the whole table on every call; take the grid once (merges only touch their
    # own region, so the other cells stay valid).
    grid = table._cells
    for r, c, cell in t.placed():
        target = grid[r * t.ncols + c]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(grid[(r + cell.rowspan - 1) * t.ncols + c + cell.colspan - 1])
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        lines = cell.text.split("\n")
        for i, line in enumerate(lines):
            p = target.paragraphs[0] if i == 0 else target.add_paragraph()
            # merge() leaves the covered cells' empty paragraphs behind; keep just ours.
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if cell.align == "center" else WD_ALIGN_PARAGRAPH.LEFT
            p.paragraph_format.line_spacing = Pt(15)
            p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
            if line:
                _font(p.add_run(line), "宋体", 10.5)
        for extra in target.paragraphs[len(lines) :]:
            extra._element.getparent().remove(extra._element)


def render_printed_docx(pr: PrintedReport) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(16)
    doc.core_properties.author = "Administrator"
    doc.core_properties.title = ""
    doc.core_properties.comments = ""
    _page_footer(doc)
    for block in pr.blocks:
        if isinstance(block, Para):
            name, size, bold = _FONTS.get(block.style, _FONTS["body"])
            p = doc.add_paragraph()
            if block.style == "title":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                p.paragraph_format.first_line_indent = Pt(32)
            p.paragraph_format.line_spacing = Pt(28)
            _font(p.add_run(block.text), name, size, bold)
            continue
        for i, piece in enumerate(block.pieces()):
            if i:
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            _add_table(doc, piece)
    buf = io.BytesIO()
    doc.save(buf)
    return pin_zip(buf.getvalue())
