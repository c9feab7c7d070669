"""The PDF reader on PDFs made here: reportlab (CID and embedded TrueType fonts) and LibreOffice exports."""

from __future__ import annotations

import re

import pytest

from parsers.errors import ParseError
from parsers.layout import Layout, Paragraph, Table
from parsers.limits import Deadline, Limits
from parsers.readers import ocr, pdf_miner, pdf_page
from parsers.readers.pdf import read_pdf
from tests.parsers import make_inputs as mk


def read(data: bytes, **limits) -> Layout:
    return read_pdf(data, Limits(**limits), Deadline(60))


def cell_set(table: Table) -> set[tuple]:
    return {(c.text, c.row, c.col, c.rowspan, c.colspan) for c in table.cells}


def row_starts(tables: list[Table]) -> list[tuple[str, ...]]:
    """Each row as the texts of the cells that start on it: the same for a table and its pieces."""
    out = []
    for t in tables:
        for r in range(t.n_rows):
            out.append(tuple(c.text for c in sorted(t.cells, key=lambda c: c.col) if c.row == r))
    return out


def spec_row_starts(spec: mk.GridSpec) -> list[tuple[str, ...]]:
    cells = spec.expected_cells()
    return [
        tuple(t for t, row, col, *_ in sorted(cells, key=lambda c: c[2]) if row == r)
        for r in range(len(spec.rows))
    ]


@pytest.fixture(scope="module", params=["cid", "ttf"])
def report(request) -> Layout:
    return read(mk.report_pdf(request.param))


def test_whole_tables_come_back_cell_for_cell_with_spans_and_page(report):
    tables = report.tables()
    assert cell_set(tables[0]) == mk.table2().expected_cells()
    assert tables[0].page == 1
    assert {c.page for c in tables[0].cells} == {1}
    assert cell_set(tables[-1]) == mk.table4().expected_cells()


def test_table_broken_over_a_page_keeps_every_row_once(report):
    tables = report.tables()
    pieces = tables[1:-1]
    assert [t.page for t in pieces] == [1, 2]  # one Table per page, the core joins them
    assert all(c.page == t.page for t in pieces for c in t.cells)
    assert row_starts(pieces) == spec_row_starts(mk.table3())


def test_wrapped_cell_labels_are_joined_without_spaces(report):
    texts = {c.text for t in report.tables() for c in t.cells}
    # These wrap inside their narrow cells in the PDF.
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in texts
    assert "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in texts
    assert "24252.311082" in texts  # a number wrapped in its cell is one number


def test_paragraphs_in_reading_order_with_pages_and_heading_hints(report):
    blocks = report.blocks
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == mk.TITLE and blocks[0].heading
    assert blocks[1].text == mk.INTRO  # 'www.example.gov.cn' keeps its spaces, the CJK wraps don't
    assert (blocks[2].text, blocks[2].heading) == ("一、总体情况", True)
    assert (blocks[3].text, blocks[3].heading) == (mk.BODY, False)
    kinds = ["T" if isinstance(b, Table) else b.text[:2] for b in blocks]
    assert kinds == [
        "北京",
        "本年",
        "一、",
        "全年",
        "二、",
        "T",
        "三、",
        "T",
        "T",
        "四、",
        "T",
        "五、",
        "全年",
    ]
    assert all(b.page for b in report.paragraphs())
    assert report.pages == 3


def test_table_text_is_not_repeated_in_paragraphs_and_footers_are_dropped(report):
    text = "\n".join(p.text for p in report.paragraphs())
    assert "本年新收政府信息公开申请数量" not in text
    assert "结果维持" not in text
    assert not re.search(r"- \d+ -", text)


def test_paragraph_broken_by_a_page_break_is_one_paragraph():
    layout = read(mk.report_pdf("cid", extra_pages=1))
    assert [p.text for p in layout.paragraphs()].count(mk.BODY) >= 2
    assert not any(p.text != mk.BODY and p.text in mk.BODY for p in layout.paragraphs())


@pytest.mark.parametrize(
    "footer", ["- {n} -", "— {n} —", "第 {n} 页", "{n}/{total}", "第{n}页 共{total}页", "{n}"]
)
def test_page_number_lines_are_dropped(footer):
    layout = read(mk.report_pdf("cid", footer=footer, tables=(mk.table4(),)))
    assert layout.paragraphs()[-1].text == mk.BODY
    for p in layout.paragraphs():
        assert not re.fullmatch(r"[-—第\s\d/页共]+", p.text), p.text


def test_running_headers_and_footers_are_dropped_and_do_not_break_paragraphs():
    header = "北京市科学技术委员会2024年政府信息公开工作年度报告（第{n}页）"
    layout = read(mk.report_pdf("cid", extra_pages=2, header=header, footer="科委办公室 {n}"))
    texts = [p.text for p in layout.paragraphs()]
    assert not [t for t in texts if "（第" in t or t.startswith("科委办公室")]
    assert texts[0] == mk.TITLE
    assert texts.count(mk.BODY) == 1 + 1 + 12  # 一、, 五、 and the extra pages' paragraphs, none cut
    # A single page's heading-like first line is not a running header.
    single = read(mk.report_pdf("cid", tables=(mk.table4(),), header="只出现一次的页眉"))
    assert "只出现一次的页眉" in [p.text for p in single.paragraphs()]


def test_word_style_pdf_from_libreoffice():
    layout = read((mk.INPUTS / "report_word.pdf").read_bytes())
    assert layout.title == mk.TITLE
    tables = layout.tables()
    assert cell_set(tables[0]) == mk.table2().expected_cells()
    assert cell_set(tables[-1]) == mk.table4().expected_cells()
    # LibreOffice lets rows break across pages: a label is cut ('2.其' | '他法律…') and the pieces of the
    # row sit on two pages. Nothing is lost or doubled: in reading order the texts are the table's.
    pieces = tables[1:-1]
    assert len({t.page for t in pieces}) == len(pieces) > 1
    got = "".join(c.text for t in pieces for c in sorted(t.cells, key=lambda c: (c.row, c.col)) if c.col < 3)
    want = "".join(
        t for t, r, c, *_ in sorted(mk.table3().expected_cells(), key=lambda x: (x[1], x[2])) if c < 3
    )
    assert got == want
    numbers = [
        tuple(c.text for c in sorted(t.cells, key=lambda c: c.col) if c.row == r and c.col >= 3)
        for t in pieces
        for r in range(t.n_rows)
    ]
    numbers = [n for n in numbers if any(n) and all(x.isdigit() for x in n)]
    want_numbers = [tuple(row[3:]) for row in mk.table3().rows[3:]]
    assert numbers == want_numbers
    assert {p.text for p in layout.paragraphs()} >= {mk.INTRO, mk.BODY, "五、存在的主要问题及改进情况"}


def test_ragged_right_chinese_paragraphs_come_back_whole():
    layout = read((mk.INPUTS / "ragged.pdf").read_bytes())
    assert [p.text for p in layout.paragraphs()] == mk.RAGGED


def test_rotated_page_reads_like_an_upright_one():
    layout = read(mk.report_pdf("cid", tables=(mk.table4(),), rotate=90))
    assert cell_set(layout.tables()[0]) == mk.table4().expected_cells()
    assert layout.paragraphs()[0].text == mk.TITLE


@pytest.mark.parametrize("angle", [90, 270])
def test_table_set_sideways_on_a_portrait_page_reads_upright(angle):
    layout = read(mk.sideways_pdf(mk.table4(), angle))
    assert [p.text for p in layout.paragraphs()] == ["表格标题：政府信息公开行政复议、行政诉讼情况"]
    assert cell_set(layout.tables()[0]) == mk.table4().expected_cells()


def _cid_wrapped_cells() -> bytes:
    """Cells whose text wraps in the non-embedded CID font STSong-Light, a line per glyph run: on a
    machine without CJK fonts PDFium gives such runs no width and leaves their characters out."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from reportlab.platypus import Table as RLTable

    font, _ = mk._fonts("cid")
    style = ParagraphStyle("c", fontName=font, fontSize=9, leading=11.5, wordWrap="CJK")
    out = io.BytesIO()
    cells = [Paragraph("自然<br/>人", style), Paragraph("16（其中网上办理1件<br/>）", style)]
    table = RLTable([cells], colWidths=[25, 90], style=[("GRID", (0, 0), (-1, -1), 0.5, "black")])
    SimpleDocTemplate(out, pagesize=A4, invariant=1).build([table])
    return out.getvalue()


def test_text_in_a_font_the_file_does_not_embed_comes_back_whole():
    # Whatever fonts this machine has: with a CJK font PDFium places the glyphs, without one the
    # page is read through pdfminer (parsers/readers/pdf_miner.py).
    layout = read(_cid_wrapped_cells())
    assert [c.text for c in layout.tables()[0].cells] == ["自然人", "16（其中网上办理1件）"]
    assert not layout.warnings


@pytest.mark.parametrize("font", ["cid", "ttf"])
def test_a_page_read_through_pdfminer_gives_the_layout_pdfium_gives(font, monkeypatch):
    data = mk.report_pdf(font)
    expected = read(data)
    calls = []
    real = pdf_miner.MinerPages.chars

    def spy(self, index, *args):
        calls.append(index)
        return real(self, index, *args)

    monkeypatch.setattr(pdf_page, "_unplaced", lambda obj: 1)  # as on a machine without the fonts
    monkeypatch.setattr(pdf_miner.MinerPages, "chars", spy)
    through_miner = read(data)
    assert calls == list(range(expected.pages))
    assert [cell_set(t) for t in through_miner.tables()] == [cell_set(t) for t in expected.tables()]
    assert [p.text for p in through_miner.paragraphs()] == [p.text for p in expected.paragraphs()]


@pytest.mark.parametrize("angle", [90, 270])
def test_text_turned_sideways_reads_upright_through_pdfminer_too(angle, monkeypatch):
    data = mk.sideways_pdf(mk.table4(), angle)
    monkeypatch.setattr(pdf_page, "_unplaced", lambda obj: 1)
    layout = read(data)
    assert not layout.warnings
    assert [p.text for p in layout.paragraphs()] == ["表格标题：政府信息公开行政复议、行政诉讼情况"]
    assert cell_set(layout.tables()[0]) == mk.table4().expected_cells()


def test_kangxi_radicals_from_odd_font_mappings_become_ordinary_characters():
    layout = read((mk.INPUTS / "kangxi.pdf").read_bytes())  # PDFium's own text says '⾏政许可⼀律…'
    assert [p.text for p in layout.paragraphs()] == ["行政许可一律依法办理"]


def test_table_with_inner_rules_only_gets_its_outer_cells():
    spec = mk.table4()
    layout = read(mk.grid_pdf(spec, style="inner"))
    assert cell_set(layout.tables()[0]) == spec.expected_cells()


def test_borders_drawn_as_thin_filled_rectangles_are_rules():
    spec = mk.table2()
    layout = read(mk.grid_pdf(spec, style="filled"))
    assert cell_set(layout.tables()[0]) == spec.expected_cells()


@pytest.mark.parametrize("style", ["none", "three_line"])
def test_table_without_vertical_rules_is_read_from_text_positions_with_a_warning(style):
    spec = mk.table3()
    layout = read(mk.grid_pdf(spec, style=style))
    assert any("without ruling lines" in w for w in layout.warnings)
    (table,) = layout.tables()
    rows = table.rows()
    # Every numeric row comes back with its numbers, in order, and its own label.
    numeric = [[c.text for c in row if c.text.isdigit()] for row in rows]
    numeric = [n for n in numeric if n]
    assert numeric == [row[3:] for row in spec.rows[3:]]
    labels = {c.text for c in table.cells}
    for label in ("一、本年新收政府信息公开申请数量", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                  "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "四、结转下年度继续办理"):  # fmt: skip
        assert label in labels
    assert "商业企业" in labels  # header words wrapped in their column are joined
    assert layout.paragraphs()[0].text == "表格前的段落。"
    assert layout.paragraphs()[-1].text == "表格后的段落。"


def test_page_with_a_huge_drawing_is_not_searched_for_tables():
    layout = read(mk.busy_drawing_pdf())
    assert layout.tables() == [] and [p.text for p in layout.paragraphs()] == ["地图下方的说明文字"]


def test_metadata_title_without_word_wrapping_and_placeholders_dropped():
    layout = read(mk.titled_pdf("Microsoft Word - 某区2023年政府信息公开工作年度报告.docx", "(anonymous)"))
    assert layout.title == "某区2023年政府信息公开工作年度报告"
    assert "Author" not in layout.meta and layout.meta["Producer"].startswith("ReportLab")
    assert read(mk.titled_pdf("untitled", "张三")).title is None


def test_text_drawn_twice_for_bold_comes_once_and_a_short_page_still_breaks_paragraphs():
    layout = read(mk.fake_bold_pdf())
    assert [p.text for p in layout.paragraphs()] == ["一、总体情况", "正文内容"]


def test_overflowing_header_text_keeps_all_its_characters():
    layout = read(mk.overflow_pdf())
    (table,) = layout.tables()
    header = "".join(c.text for c in sorted(table.cells, key=lambda c: c.col) if c.row == 0)
    assert sorted(header) == sorted("自然人法律服务机构总计")
    assert [c.text for c in sorted(table.cells, key=lambda c: c.col) if c.row == 1] == ["3", "1", "4", "8"]


@pytest.fixture
def no_ocr(monkeypatch):
    """Scanned pages reported, not read, even where the [ocr] extra is installed."""
    monkeypatch.setattr(ocr, "ENABLED", False)


def test_scanned_pdf_needs_ocr_and_has_no_blocks(no_ocr):
    layout = read(mk.scanned_pdf(mk.report_pdf("cid"), pages=2))
    assert layout.needs_ocr and layout.blocks == [] and layout.pages == 2


def test_scanned_page_inside_a_text_pdf_is_named_in_a_warning(no_ocr):
    text_pdf = mk.report_pdf("cid", tables=(mk.table4(),))
    layout = read(mk.concat_pdfs(text_pdf, mk.scanned_pdf(text_pdf)))
    assert not layout.needs_ocr
    assert any("page(s) 2 have no text layer" in w for w in layout.warnings)
    assert layout.paragraphs()[0].text == mk.TITLE


def test_fonts_without_unicode_maps_need_ocr_and_are_named(no_ocr):
    unmapped = mk.without_unicode_map(mk.report_pdf("ttf", tables=(mk.table4(),)))
    layout = read(unmapped)
    assert layout.needs_ocr and layout.blocks == []
    assert "the fonts of page(s) 1 map no Unicode text; only OCR can read them" in layout.warnings
    mixed = read(mk.concat_pdfs(mk.report_pdf("cid", tables=(mk.table4(),)), unmapped))
    assert not mixed.needs_ocr and {p.page for p in mixed.paragraphs()} == {1}
    assert "the fonts of page(s) 2 map no Unicode text; their content was not read" in mixed.warnings


@pytest.mark.slow
def test_scanned_page_is_read_by_ocr_when_the_extra_is_installed():
    pytest.importorskip("rapidocr_onnxruntime")
    layout = read(mk.scanned_pdf(mk.report_pdf("cid", tables=(mk.table4(),)), dpi=200), max_seconds=300)
    assert not layout.needs_ocr and layout.meta["ocr"].startswith("rapidocr-onnxruntime")
    assert any("read by OCR" in w for w in layout.warnings)
    texts = [p.text for p in layout.paragraphs()]
    assert "一、总体情况" in texts and "二、主动公开政府信息情况" in texts
    (table,) = layout.tables()  # the rulings found in the image give the grid back
    assert (table.n_rows, table.n_cols) == (4, 15)
    right = cell_set(table) & mk.table4().expected_cells()
    assert len(right) >= 0.8 * len(mk.table4().expected_cells())  # recognition is good, not perfect


def test_ocr_stops_before_the_time_limit_and_says_so():
    pytest.importorskip("rapidocr_onnxruntime")
    layout = read_pdf(mk.scanned_pdf(mk.report_pdf("cid"), pages=2), Limits(), Deadline(5))
    assert layout.needs_ocr and layout.blocks == []
    assert "OCR stopped when the time limit drew near; 2 page(s) unread" in layout.warnings


def test_owner_password_only_opens_and_user_password_is_refused():
    layout = read(mk.encrypted_pdf(""))
    assert layout.paragraphs()[0].text == "一、总体情况：全年受理申请22件。"
    with pytest.raises(ParseError) as err:
        read(mk.encrypted_pdf("secret"))
    assert err.value.kind == "encrypted"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"%PDF-1.7\n",
        b"%PDF-1.4\n" + b"\x00garbage" * 100,
        b"<html>not a pdf</html>",
        b"PK\x03\x04" + b"x" * 50,
    ],
)
def test_bad_bytes_raise_unreadable(data):
    with pytest.raises(ParseError) as err:
        read(data)
    assert err.value.kind == "unreadable"
    assert "not a PDF" in err.value.reason or "PDFium: Data format error" in err.value.reason


def test_truncated_pdf_is_unreadable_or_read_in_part_never_a_crash():
    data = mk.report_pdf("ttf")
    for cut in (len(data) // 4, len(data) // 2, len(data) - 200):
        try:
            layout = read(data[:cut])
        except ParseError as err:
            assert err.kind == "unreadable"
        else:
            assert isinstance(layout, Layout)


def test_page_limit_reads_the_first_pages_and_says_so():
    layout = read(mk.report_pdf("cid", extra_pages=3), max_pages=1)
    assert {b.page for b in layout.paragraphs()} == {1}
    assert layout.pages > 3
    assert f"only the first 1 of {layout.pages} pages were read (page limit)" in layout.warnings


def test_deadline_stops_reading():
    with pytest.raises(ParseError) as err:
        read_pdf(mk.report_pdf("cid"), Limits(), Deadline(0))
    assert err.value.kind == "timeout"


def test_cell_limit():
    with pytest.raises(ParseError) as err:
        read(mk.report_pdf("cid"), max_cells=50)
    assert err.value.kind == "too_large"


def test_damaged_files_give_a_parse_error_or_a_layout_never_another_exception():
    for k, source in enumerate(
        [mk.report_pdf("cid", tables=(mk.table4(),)), (mk.INPUTS / "report_word.pdf").read_bytes()]
    ):
        for damaged in mk.mutations(source, 60, seed=k):
            try:
                assert isinstance(read(damaged), Layout)
            except ParseError as err:
                assert err.kind in ("unreadable", "encrypted", "too_large") and err.reason
