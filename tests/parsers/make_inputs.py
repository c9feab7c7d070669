"""Small report-like documents for the binary readers' tests, built from one table description.

A `GridSpec` is what a table looks like as printed (cell texts, merged ranges); the same spec is
rendered to PDF (reportlab, CID or embedded TrueType font), DOCX (python-docx) and XLSX (openpyxl), and
`expected_cells()` says what a reader must return for it. Files needing LibreOffice (DOC, Word-style
PDF) are made once by `python -m tests.parsers.make_inputs` into tests/parsers/inputs/ and committed.
"""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

INPUTS = Path(__file__).parent / "inputs"
TTF = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


@dataclass
class GridSpec:
    rows: list[list[str]]  # every grid slot; slots covered by a merge hold ""
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, col, rowspan, colspan)
    col_widths: list[float] | None = None  # points, for PDF

    @property
    def n_cols(self) -> int:
        return len(self.rows[0])

    def covered(self) -> set[tuple[int, int]]:
        out = set()
        for r, c, rs, cs in self.spans:
            out.update((r + i, c + j) for i in range(rs) for j in range(cs) if (i, j) != (0, 0))
        return out

    def expected_cells(self, row_offset: int = 0, rows: range | None = None) -> set[tuple]:
        """{(text, row, col, rowspan, colspan)} as a reader must return them."""
        spans = {(r, c): (rs, cs) for r, c, rs, cs in self.spans}
        covered = self.covered()
        out = set()
        for r in rows if rows is not None else range(len(self.rows)):
            for c, text in enumerate(self.rows[r]):
                if (r, c) in covered:
                    continue
                rs, cs = spans.get((r, c), (1, 1))
                out.add((text, r - row_offset, c, rs, cs))
        return out


# ------------------------------------------------------------------------------- report content

TABLE3_ROWS = [
    ("一、本年新收政府信息公开申请数量", None, None),
    ("二、上年结转政府信息公开申请数量", None, None),
    ("三、本年度办理结果", "（一）予以公开", None),
    (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    (None, "（三）不予公开", "1.属于国家秘密"),
    (None, None, "2.其他法律行政法规禁止公开"),
    (None, None, "3.危及“三安全一稳定”"),
    (None, None, "4.保护第三方合法权益"),
    (None, None, "5.属于三类内部事务信息"),
    (None, None, "6.属于四类过程性信息"),
    (None, None, "7.属于行政执法案卷"),
    (None, None, "8.属于行政查询事项"),
    (None, "（四）无法提供", "1.本机关不掌握相关政府信息"),
    (None, None, "2.没有现成信息需要另行制作"),
    (None, None, "3.补正后申请内容仍不明确"),
    (None, "（五）不予处理", "1.信访举报投诉类申请"),
    (None, None, "2.重复申请"),
    (None, None, "3.要求提供公开出版物"),
    (None, None, "4.无正当理由大量反复申请"),
    (None, None, "5.要求行政机关确认或重新出具已获取信息"),
    (None, "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (None, None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    (None, None, "3.其他"),
    (None, "（七）总计", None),
    ("四、结转下年度继续办理", None, None),
]


def table3(seed: int = 0) -> GridSpec:
    """表三 of the 2021 template: 28 rows × 10 columns, merged headers and group labels."""
    header = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况"]
        + [""] * 6,
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ]
    spans = [(0, 0, 3, 3), (0, 3, 1, 7), (1, 3, 2, 1), (1, 4, 1, 5), (1, 9, 2, 1)]
    rows = [list(r) for r in header]
    group_start: dict[int, int] = {}
    for i, (a, b, c) in enumerate(TABLE3_ROWS):
        r = len(rows)
        values = [str((seed * 7 + i * 3 + k) % 23) for k in range(6)]
        total = str(sum(int(v) for v in values))
        rows.append([a or "", b or "", c or ""] + values + [total])
        if a and b is None:
            spans.append((r, 0, 1, 3))
        elif a:
            group_start[0] = r
        if b and c is None:
            spans.append((r, 1, 1, 2))
        if b and c:
            group_start[1] = r
    # 三、本年度办理结果 covers rows 5..26; the （三）…（六） group labels cover their sub-rows.
    spans.append((5, 0, 22, 1))
    for start, n in ((7, 8), (15, 3), (18, 5), (23, 3)):
        spans.append((start, 1, n, 1))
    return GridSpec(rows, spans, [52, 60, 100] + [38] * 7)


def table4() -> GridSpec:
    """表四: review and litigation, 3 header rows and one data row of 15 numbers."""
    words = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [
        ["行政复议"] + [""] * 4 + ["行政诉讼"] + [""] * 9,
        [""] * 5 + ["未经复议直接起诉"] + [""] * 4 + ["复议后起诉"] + [""] * 4,
        words + words + words,
        [str(v) for v in (1, 2, 0, 1, 4, 0, 1, 0, 0, 1, 2, 0, 0, 1, 3)],
    ]
    rows[1][:5] = words
    rows[2][:5] = [""] * 5
    spans = [(0, 0, 1, 5), (0, 5, 1, 10), (1, 5, 1, 5), (1, 10, 1, 5)] + [(1, c, 2, 1) for c in range(5)]
    return GridSpec(rows, spans, [30] * 15)


def table2() -> GridSpec:
    rows = [
        ["第二十条第（一）项", "", "", ""],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", "20", "31", "116"],
        ["第二十条第（五）项", "", "", ""],
        ["信息内容", "本年处理决定数量", "", ""],
        ["行政许可", "132", "", ""],
        ["第二十条第（八）项", "", "", ""],
        ["信息内容", "本年收费金额（单位：万元）", "", ""],
        ["行政事业性收费", "24252.311082", "", ""],
    ]
    spans = [(0, 0, 1, 4), (4, 0, 1, 4), (5, 1, 1, 3), (6, 1, 1, 3), (7, 0, 1, 4), (8, 1, 1, 3), (9, 1, 1, 3)]
    return GridSpec(rows, spans, [120, 100, 100, 100])


RAGGED = [
    "坚持政策制定与解读同步。结合本年度重点工作，加大解读力度，坚持重要文件与政策解读同步研究、同步部署、"
    "同步推进，把握好政策解读的节奏和力度。针对牵头起草的科技计划管理办法、科技报告管理办法、推广应用新能源汽车"
    "管理办法、杰出青年科技基金项目管理办法、医药健康三年行动计划等政策文件，利用新闻发布、媒体专访、座谈访谈等"
    "手段，运用解读文章、图表图解等形式，生动直观解读政策文件。",
    "拓宽渠道提升解读效果。全年组织召开新闻发布会四十余次，并持续做好政策落地跟踪报道和后续解读工作，"
    "通过政府网站、政务微博、政务微信等平台，第一时间发布权威信息，回应社会关切。",
]
INTRO = (
    "本年度报告由北京市科学技术委员会依据《中华人民共和国政府信息公开条例》第五十条规定编制而成，"
    "报告中所列数据统计期限从2024年1月1日起至2024年12月31日止。本报告电子版可在门户网站 www.example.gov.cn 查阅。"
)
BODY = (
    "全年受理政府信息公开申请22件，其中包括网页申请19件、信函申请3件，除1件结转下年度办理外，"
    "全部依法办理和答复，并按程序办结，未发生行政复议、行政诉讼案件。强化政务公开全清单管理，逐项梳理主动公开事项内容，"
    "确保清单事项完整，推动全委主动公开依法依规、规范有序。"
)
TITLE = "北京市科学技术委员会2024年政府信息公开工作年度报告"


# ------------------------------------------------------------------------------------------ PDF


def _fonts(font: str) -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if font == "cid":
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light", "STSong-Light"
    if not Path(TTF).exists():
        import pytest

        pytest.skip(f"the CJK TrueType font {TTF} is not installed (`make system-deps`: fonts-wqy-microhei)")
    pdfmetrics.registerFont(TTFont("WQY", TTF, subfontIndex=0))
    return "WQY", "WQY"


def pdf_table(spec: GridSpec, font: str, size: float = 8, grid: bool = True, rules: bool = False):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    cell_style = ParagraphStyle("cell", fontName=font, fontSize=size, leading=size * 1.25, wordWrap="CJK")
    data = [[Paragraph(t, cell_style) if t else "" for t in row] for row in spec.rows]
    table = Table(data, colWidths=spec.col_widths, repeatRows=0)
    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    if grid:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    if rules:  # a "three-line" table: rules above, below the header and below the table only
        style += [("LINEABOVE", (0, 0), (-1, 0), 1, "black"), ("LINEBELOW", (0, -1), (-1, -1), 1, "black")]
    for r, c, rs, cs in spec.spans:
        style.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
    table.setStyle(TableStyle(style))
    return table


def report_pdf(
    font: str = "cid",
    footer: str = "- {n} -",
    tables: tuple[GridSpec, ...] | None = None,
    grid: bool = True,
    rotate: int = 0,
    body_repeat: int = 1,
    extra_pages: int = 0,
    header: str | None = None,
) -> bytes:
    """A report: title, paragraphs, headings and the given tables; platypus breaks long tables over pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    regular, bold = _fonts(font)
    body = ParagraphStyle(
        "body", fontName=regular, fontSize=10.5, leading=18, firstLineIndent=21, wordWrap="CJK"
    )
    heading = ParagraphStyle("h", fontName=bold, fontSize=14, leading=22, wordWrap="CJK")
    title = ParagraphStyle("t", fontName=bold, fontSize=18, leading=26, alignment=1, wordWrap="CJK")

    def on_page(canvas, doc):
        if rotate:
            canvas.setPageRotation(rotate)
        if footer:
            canvas.setFont(regular, 9)
            canvas.drawCentredString(A4[0] / 2, 30, footer.format(n=doc.page, total=99))
        if header:
            canvas.setFont(regular, 9)
            canvas.drawCentredString(A4[0] / 2, A4[1] - 40, header.format(n=doc.page))

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=TITLE, author="test", invariant=1)
    specs = tables if tables is not None else (table2(), table3(), table4())
    headings = [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    story = [Paragraph(TITLE, title), Paragraph(INTRO, body), Paragraph("一、总体情况", heading)]
    story += [Paragraph(BODY, body) for _ in range(body_repeat)]
    for k, spec in enumerate(specs):
        story.append(Paragraph(headings[k % len(headings)], heading))
        story.append(pdf_table(spec, regular, grid=grid, rules=not grid))
        story.append(Spacer(1, 8))
    story += [Paragraph("五、存在的主要问题及改进情况", heading), Paragraph(BODY, body)]
    for _ in range(extra_pages):
        story += [PageBreak(), Paragraph("附：补充说明", heading)] + [Paragraph(BODY, body)] * 6
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return out.getvalue()


def grid_pdf(spec: GridSpec, style: str = "grid", font: str = "cid") -> bytes:
    """One table between two paragraphs. style: 'grid' (all rules), 'inner' (no outer border),
    'filled' (borders drawn as thin filled rectangles, as some Word exports do), 'three_line' (rules
    above and below only), 'none' (no rules at all)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    regular, _ = _fonts(font)
    body = ParagraphStyle("b", fontName=regular, fontSize=10.5, leading=16)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, invariant=1)
    if style == "filled":
        return _filled_grid_pdf(spec, regular)
    table = pdf_table(spec, regular, grid=style == "grid", rules=style == "three_line")
    if style == "inner":
        table.setStyle([("INNERGRID", (0, 0), (-1, -1), 0.5, "black")])
    doc.build([Paragraph("表格前的段落。", body), table, Paragraph("表格后的段落。", body)])
    return out.getvalue()


def _filled_grid_pdf(spec: GridSpec, font: str) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    widths = spec.col_widths or [60.0] * spec.n_cols
    xs = [60.0]
    for w in widths:
        xs.append(xs[-1] + w)
    row_h, top = 20.0, 760.0
    spans = {(r, col): (rs, cs) for r, col, rs, cs in spec.spans}
    covered = spec.covered()
    c.setFont(font, 8)
    for r, row in enumerate(spec.rows):
        for col, text in enumerate(row):
            if (r, col) in covered:
                continue
            rs, cs = spans.get((r, col), (1, 1))
            x0, x1 = xs[col], xs[col + cs]
            y1 = top - r * row_h
            y0 = y1 - rs * row_h
            for x, y, w, h in (
                (x0, y1, x1 - x0, 0.6),
                (x0, y0, x1 - x0, 0.6),
                (x0, y0, 0.6, y1 - y0),
                (x1, y0, 0.6, y1 - y0),
            ):
                c.rect(x - 0.3, y - 0.3, w, h, stroke=0, fill=1)
            if text:
                c.drawString(x0 + 3, y1 - 13, text)
    c.showPage()
    c.save()
    return out.getvalue()


def concat_pdfs(*pdfs: bytes) -> bytes:
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    for data in pdfs:
        merged.import_pages(pdfium.PdfDocument(data))
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()


def without_unicode_map(pdf: bytes) -> bytes:
    """The PDF with its fonts' /ToUnicode maps blanked out (same length, so the xref stays valid):
    text whose glyph codes no longer say which characters they are."""
    import re

    return re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group(0)), pdf)


def scanned_pdf(source: bytes, pages: int = 1, dpi: int = 100) -> bytes:
    """The pages of `source` as images only: what a scanner produces."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    doc = pdfium.PdfDocument(source)
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    for i in range(min(pages, len(doc))):
        page = doc[i]
        w, h = page.get_size()
        image = page.render(scale=dpi / 72, grayscale=True).to_pil()
        c.setPageSize((w, h))
        c.drawImage(ImageReader(image), 0, 0, w, h)
        c.showPage()
    c.save()
    doc.close()
    return out.getvalue()


def encrypted_pdf(user_password: str) -> bytes:
    """A small text PDF encrypted with reportlab; an empty user password means 'owner password only'."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    regular, _ = _fonts("cid")
    enc = pdfencrypt.StandardEncryption(user_password, ownerPassword="owner-secret", canPrint=0, canCopy=0)
    out = io.BytesIO()
    c = canvas.Canvas(out, encrypt=enc, invariant=1)
    c.setFont(regular, 12)
    c.drawString(72, 750, "一、总体情况：全年受理申请22件。")
    c.showPage()
    c.save()
    return out.getvalue()


def sideways_pdf(spec: GridSpec, angle: int = 90) -> bytes:
    """A landscape table set sideways on a portrait page (turned by the content, not by /Rotate)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Paragraph

    regular, _ = _fonts("cid")
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.saveState()
    if angle == 90:  # text runs bottom to top
        c.translate(A4[0] - 60, 60)
    else:  # 270: text runs top to bottom
        c.translate(60, A4[1] - 60)
    c.rotate(angle)
    title = Paragraph(
        "表格标题：政府信息公开行政复议、行政诉讼情况", ParagraphStyle("t", fontName=regular, fontSize=12)
    )
    title.wrapOn(c, 600, 40)
    title.drawOn(c, 0, -20)
    table = pdf_table(spec, regular)
    _, height = table.wrapOn(c, 700, 400)
    table.drawOn(c, 0, -40 - height)
    c.restoreState()
    c.showPage()
    c.save()
    return out.getvalue()


def titled_pdf(title: str, author: str) -> bytes:
    from reportlab.pdfgen import canvas

    regular, _ = _fonts("cid")
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    c.setTitle(title)
    c.setAuthor(author)
    c.setFont(regular, 12)
    c.drawString(72, 750, "正文")
    c.showPage()
    c.save()
    return out.getvalue()


def busy_drawing_pdf(segments: int = 150_000) -> bytes:
    """A page carrying a drawing of `segments` tiny line segments (a map, a chart) and one line of text."""
    from reportlab.pdfgen import canvas

    regular, _ = _fonts("cid")
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    path = c.beginPath()
    for i in range(segments):
        x, y = 10 + i % 500, 10 + (i // 500) % 700
        path.moveTo(x, y)
        path.lineTo(x + 1, y)
    c.drawPath(path)
    c.setFont(regular, 12)
    c.drawString(72, 800, "地图下方的说明文字")
    c.showPage()
    c.save()
    return out.getvalue()


def fake_bold_pdf() -> bytes:
    """A heading made bold by drawing it twice, a hair apart (WPS and some printers do), then a line."""
    from reportlab.pdfgen import canvas

    regular, _ = _fonts("cid")
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    c.setFont(regular, 14)
    c.drawString(72, 750, "一、总体情况")
    c.drawString(72.3, 750.2, "一、总体情况")
    c.drawString(72, 720, "正文内容")
    c.showPage()
    c.save()
    return out.getvalue()


def overflow_pdf() -> bytes:
    """A ruled header row whose labels are drawn wider than their cells (sloppy Word->PDF output)."""
    from reportlab.pdfgen import canvas

    regular, _ = _fonts("cid")
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    xs = [72, 122, 152, 182, 232]
    top, mid, bottom = 700, 680, 660
    for x in xs:
        c.line(x, top, x, bottom)
    for y in (top, mid, bottom):
        c.line(xs[0], y, xs[-1], y)
    c.setFont(regular, 10)
    c.drawString(74, 686, "自然人")
    c.drawString(124, 686, "法律服务机构")  # 60pt of text in a 30pt cell
    c.drawString(184, 686, "总计")
    for x, v in zip(xs, ("3", "1", "4", "8"), strict=False):
        c.drawString(x + 4, 666, v)
    c.showPage()
    c.save()
    return out.getvalue()


# ----------------------------------------------------------------------------------------- DOCX


def docx_table(document, spec: GridSpec):
    table = document.add_table(rows=len(spec.rows), cols=spec.n_cols)
    table.style = "Table Grid"
    covered = spec.covered()
    for r, row in enumerate(spec.rows):
        for c, text in enumerate(row):
            if text and (r, c) not in covered:
                table.cell(r, c).text = text
    for r, c, rs, cs in spec.spans:
        table.cell(r, c).merge(table.cell(r + rs - 1, c + cs - 1))
    return table


def report_docx(tables: tuple[GridSpec, ...] | None = None, title: str | None = TITLE) -> bytes:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.add_heading(TITLE, level=1)
    document.add_paragraph(INTRO)
    run = document.add_paragraph().add_run("一、总体情况")
    run.bold = True
    document.add_paragraph(BODY)
    specs = tables if tables is not None else (table2(), table3(), table4())
    headings = [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    for k, spec in enumerate(specs):
        document.add_heading(headings[k % len(headings)], level=2)
        docx_table(document, spec)
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph(BODY)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def minimal_docx(body: str, styles: str | None = None, numbering: str | None = None, title: str | None = None,
                 content_type: str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                 ) -> bytes:  # fmt: skip
    """A DOCX package written by hand around `body` (the XML inside w:body), for exact XML cases."""
    import zipfile

    rels = ['<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>',
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>']  # fmt: skip
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{content_type}"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}" '
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
            'xmlns:v="urn:schemas-microsoft-com:vml">'
            f"<w:body>{body}</w:body></w:document>"
        ),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels)
            + "</Relationships>"
        ),
        "word/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W_NS}">{styles or ""}</w:styles>',
    }
    if numbering is not None:
        files["word/numbering.xml"] = (
            f'<?xml version="1.0"?><w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>'
        )
    if title is not None:
        files["docProps/core.xml"] = (
            '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title><dc:creator>someone</dc:creator></cp:coreProperties>'
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), text.encode("utf-8"))
    return out.getvalue()


def rewrite_zip_member(data: bytes, name: str, change) -> bytes:
    """A copy of a zip package with one member's bytes passed through `change`."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info, change(body) if info.filename == name else body)
    return out.getvalue()


def zip_bomb(unpacked: int) -> bytes:
    """A DOCX-looking zip whose document part inflates to `unpacked` bytes of zeros."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(unpacked // len(chunk)):
                f.write(chunk)
    return out.getvalue()


def mutations(data: bytes, n: int, seed: int = 0):
    """`n` damaged copies of `data`, deterministic: bytes overwritten, cut out, inserted, truncated;
    for zip packages also the XML of one member damaged and the package rezipped."""
    import random
    import zipfile

    rng = random.Random(seed)
    members = []
    if data.startswith(b"PK"):
        members = [m for m in zipfile.ZipFile(io.BytesIO(data)).namelist() if m.endswith((".xml", ".rels"))]
    for _ in range(n):
        inner = rng.choice(members) if members and rng.random() < 0.6 else None
        buf = bytearray(zipfile.ZipFile(io.BytesIO(data)).read(inner) if inner else data)
        op = rng.random()
        if op < 0.4:
            for _ in range(rng.randint(1, 20)):
                buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif op < 0.65:
            start = rng.randrange(len(buf))
            del buf[start : start + rng.randint(1, 2000)]
        elif op < 0.85:
            del buf[rng.randrange(len(buf)) :]
        else:
            at = rng.randrange(len(buf))
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
        yield rewrite_zip_member(data, inner, lambda _, b=bytes(buf): b) if inner else bytes(buf)


# ------------------------------------------------------------------------------- LibreOffice


def soffice_convert(data: bytes, suffix: str, target: str) -> bytes:
    """Convert with LibreOffice headless in a private profile; `target` like 'doc', 'pdf', 'xls'."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"in{suffix}"
        src.write_bytes(data)
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", target, "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        return (Path(tmp) / f"in.{target.split(':')[0]}").read_bytes()


def build_committed_inputs(which: list[str]) -> None:
    """Files only LibreOffice can make; committed so tests do not need it. `which`: names to (re)build,
    all if empty."""
    import docx

    INPUTS.mkdir(exist_ok=True)

    def wanted(name: str) -> bool:
        return not which or name in which

    docx_bytes = report_docx()
    if wanted("report_word.pdf"):
        (INPUTS / "report_word.pdf").write_bytes(soffice_convert(docx_bytes, ".docx", "pdf"))
    if wanted("report.doc") or wanted("report.wps"):
        doc_bytes = soffice_convert(docx_bytes, ".docx", "doc")
        (INPUTS / "report.doc").write_bytes(doc_bytes)
        (INPUTS / "report.wps").write_bytes(doc_bytes)  # WPS writes the same OLE Word 97 format
    if wanted("kangxi.pdf"):
        # Text typed with Kangxi radicals ('⾏政许可⼀律依法办理'), as some PDF producers map glyphs.
        document = docx.Document()
        document.add_paragraph("⾏政许可⼀律依法办理")
        buffer = io.BytesIO()
        document.save(buffer)
        (INPUTS / "kangxi.pdf").write_bytes(soffice_convert(buffer.getvalue(), ".docx", "pdf"))
    if wanted("ragged.pdf"):
        # Left-aligned Chinese at 16 pt: lines end up to two characters short of the margin, because
        # punctuation may not start a line. Each paragraph must still come back whole.
        from docx.shared import Pt

        document = docx.Document()
        for text in RAGGED:
            run = document.add_paragraph().add_run(text)
            run.font.size = Pt(16)
            document.paragraphs[-1].paragraph_format.first_line_indent = Pt(32)
        buffer = io.BytesIO()
        document.save(buffer)
        (INPUTS / "ragged.pdf").write_bytes(soffice_convert(buffer.getvalue(), ".docx", "pdf"))
    if wanted("report.xls"):
        (INPUTS / "report.xls").write_bytes(soffice_convert(report_xlsx(), ".xlsx", "xls"))
    if wanted("titled.xls"):
        (INPUTS / "titled.xls").write_bytes(soffice_convert(titled_xlsx(), ".xlsx", "xls"))


# ----------------------------------------------------------------------------------------- XLSX


def report_xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表三"
    _sheet(ws, table3())
    ws2 = wb.create_sheet("表四")
    _sheet(ws2, table4())
    wb.create_sheet("空白")
    ws3 = wb.create_sheet("表二")
    _sheet(ws3, table2(), numbers=True)
    ws4 = wb.create_sheet("格式")
    for r, (value, number_format, _) in enumerate(FORMATTED, start=3):
        ws4.cell(row=r, column=2, value=value).number_format = number_format
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


TITLED = ("某区科学技术局2023年政府信息公开工作年度报告", "四、政府信息公开行政复议、行政诉讼情况")


def titled_xlsx() -> bytes:
    """A sheet as statistical workbooks are typed: the report's and the table's titles in merged,
    unruled rows above the ruled table 四, whose one data row is all blank (zeros left empty)."""
    import openpyxl
    from openpyxl.styles import Border, Side

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表四"
    spec = table4()
    for r, text in enumerate(TITLED, start=1):
        ws.cell(row=r, column=1, value=text)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=spec.n_cols)
    spec.rows[-1] = [""] * spec.n_cols
    top = len(TITLED)
    thin = Side(style="thin")
    for r in range(len(spec.rows)):
        for c in range(spec.n_cols):
            ws.cell(row=top + r + 1, column=c + 1).border = Border(
                left=thin, right=thin, top=thin, bottom=thin
            )
    for r, row in enumerate(spec.rows):
        for c, text in enumerate(row):
            if text and (r, c) not in spec.covered():
                ws.cell(row=top + r + 1, column=c + 1, value=text)
    for r, c, rs, cs in spec.spans:
        ws.merge_cells(start_row=top + r + 1, start_column=c + 1, end_row=top + r + rs, end_column=c + cs)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# (value, number format, the text the sheet prints); written from B3 down, on sheet 格式.
FORMATTED = [
    (22.0, "General", "22"),
    (1932.583, "0.0000", "1932.5830"),
    (1234567, "#,##0", "1,234,567"),
    (0.125, "0.00%", "12.50%"),
    (-3, "General", "-3"),
    (0.1 + 0.2, "General", "0.3"),
    ("商业\n企业", "General", "商业企业"),
    (True, "General", "TRUE"),
    (datetime.datetime(2024, 12, 31), "yyyy-mm-dd", "2024-12-31"),
]


def _sheet(ws, spec: GridSpec, numbers: bool = True) -> None:
    covered = spec.covered()
    for r, row in enumerate(spec.rows):
        for c, text in enumerate(row):
            if not text or (r, c) in covered:
                continue
            value: object = text
            if numbers and text.replace(".", "", 1).isdigit():
                value = float(text) if "." in text else int(text)
            ws.cell(row=r + 1, column=c + 1, value=value)
    for r, c, rs, cs in spec.spans:
        ws.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r + rs, end_column=c + cs)


if __name__ == "__main__":
    if not shutil.which("soffice"):
        sys.exit("LibreOffice (soffice) is needed to build the committed inputs")
    build_committed_inputs(sys.argv[1:])
    print(f"wrote {sorted(p.name for p in INPUTS.iterdir())}")
