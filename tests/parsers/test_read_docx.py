"""The DOCX reader on python-docx documents and on hand-written WordprocessingML for exact XML cases."""

from __future__ import annotations

import pytest

from parsers.errors import ParseError
from parsers.layout import Layout, Paragraph, Table
from parsers.limits import Deadline, Limits
from parsers.readers.docx import read_docx
from tests.parsers import make_inputs as mk


def read(data: bytes, **limits) -> Layout:
    return read_docx(data, Limits(**limits), Deadline(60))


def cell_set(table: Table) -> set[tuple]:
    return {(c.text, c.row, c.col, c.rowspan, c.colspan) for c in table.cells}


def p(text: str, style: str | None = None, bold: bool = False, num: tuple[int, int] | None = None) -> str:
    ppr = ""
    if style or num:
        inner = f'<w:pStyle w:val="{style}"/>' if style else ""
        if num:
            inner += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        ppr = f"<w:pPr>{inner}</w:pPr>"
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f"<w:p>{ppr}<w:r>{rpr}<w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def tc(content: str, span: int = 1, vmerge: str | None = None, hmerge: str | None = None) -> str:
    pr = ""
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge is not None:
        pr += "<w:vMerge/>" if vmerge == "" else f'<w:vMerge w:val="{vmerge}"/>'
    if hmerge is not None:
        pr += f'<w:hMerge w:val="{hmerge}"/>'
    body = content if content.startswith("<") else p(content)
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{body}</w:tc>"


def tbl(*rows: str) -> str:
    return "<w:tbl>" + "".join(rows) + "</w:tbl>"


def tr(*cells: str, before: int = 0) -> str:
    pr = f'<w:trPr><w:gridBefore w:val="{before}"/></w:trPr>' if before else ""
    return f"<w:tr>{pr}{''.join(cells)}</w:tr>"


# ---------------------------------------------------------------------------------------- report


@pytest.fixture(scope="module")
def report() -> Layout:
    return read(mk.report_docx())


def test_tables_come_back_cell_for_cell_with_spans(report):
    tables = report.tables()
    assert [cell_set(t) for t in tables] == [
        s.expected_cells() for s in (mk.table2(), mk.table3(), mk.table4())
    ]


def test_paragraphs_headings_and_title(report):
    assert report.title == mk.TITLE
    assert report.meta["creator"] == "python-docx"
    blocks = [(b.text, b.heading) if isinstance(b, Paragraph) else "T" for b in report.blocks]
    assert blocks == [
        (mk.TITLE, True),  # Heading 1
        (mk.INTRO, False),
        ("一、总体情况", True),  # a whole-bold paragraph
        (mk.BODY, False),
        ("二、主动公开政府信息情况", True),
        "T",
        ("三、收到和处理政府信息公开申请情况", True),
        "T",
        ("四、政府信息公开行政复议、行政诉讼情况", True),
        "T",
        ("五、存在的主要问题及改进情况", False),
        (mk.BODY, False),
    ]


# ----------------------------------------------------------------------------------- paragraphs

STYLES = (
    '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="a"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="MyHead"><w:name w:val="报告小标题"/><w:basedOn w:val="1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Outline"><w:name w:val="x"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Strong"><w:name w:val="y"/><w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="NumHead"><w:name w:val="z"/>'
    '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr></w:pPr></w:style>'
)


def paragraphs(layout: Layout) -> list[tuple[str, bool]]:
    return [(b.text, b.heading) for b in layout.paragraphs()]


def test_heading_hints_from_style_names_outline_levels_and_bold():
    body = "".join(
        [
            p("标题一", style="1"),
            p("基于标题的样式", style="MyHead"),
            p("大纲级别", style="Outline"),
            p("样式加粗", style="Strong"),
            p("直接加粗", bold=True),
            p("正文", style="a"),
            "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>部分</w:t></w:r><w:r><w:t>加粗</w:t></w:r></w:p>",
            '<w:p><w:pPr><w:pStyle w:val="Strong"/></w:pPr><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>取消加粗</w:t></w:r></w:p>',
            '<w:p><w:r><w:rPr><w:rFonts w:ascii="黑体" w:eastAsia="黑体"/></w:rPr><w:t>一、总体情况</w:t></w:r></w:p>',
            '<w:p><w:r><w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/></w:rPr><w:t>仿宋正文</w:t></w:r></w:p>',
        ]
    )
    layout = read(mk.minimal_docx(body, styles=STYLES))
    assert paragraphs(layout) == [
        ("标题一", True),
        ("基于标题的样式", True),
        ("大纲级别", True),
        ("样式加粗", True),
        ("直接加粗", True),
        ("正文", False),
        ("部分加粗", False),
        ("取消加粗", False),
        ("一、总体情况", True),  # 黑体, the official documents' heading face
        ("仿宋正文", False),
    ]


NUMBERING = (
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="9"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="第%1部分 "/></w:lvl></w:abstractNum>'
    '<w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="6"><w:abstractNumId w:val="1"/></w:num>'
)


def test_automatic_numbering_is_printed_as_word_prints_it():
    body = "".join(
        [
            p("总体情况", num=(5, 0)),
            p("加强组织领导", num=(5, 1)),
            p("属于国家秘密", num=(5, 2)),
            p("其他法律行政法规禁止公开", num=(5, 2)),
            p("完善制度", num=(5, 1)),
            p("主动公开政府信息情况", style="NumHead"),  # numbering carried by the style
            p("重新编号", num=(5, 1)),
            p("附件", num=(6, 0)),
            p("无编号"),
        ]
    )
    layout = read(mk.minimal_docx(body, styles=STYLES, numbering=NUMBERING))
    assert [t for t, _ in paragraphs(layout)] == [
        "一、总体情况",
        "（一）加强组织领导",
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "（二）完善制度",
        "二、主动公开政府信息情况",
        "（一）重新编号",
        "第九部分 附件",
        "无编号",
    ]


def test_line_breaks_tabs_revisions_and_text_boxes():
    body = (
        "<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:br w:type='page'/><w:t>同一行</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>项目</w:t><w:tab/><w:t>数量</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>保留</w:t></w:r><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>插入</w:t></w:r></w:ins><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>"
        "<w:p><w:r><w:t>正文带文本框</w:t></w:r><w:r><mc:AlternateContent>"
        "<mc:Choice Requires='wps'><w:drawing><wps:txbx><w:txbxContent>"
        + p("框内文字")
        + "</w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><v:textbox><w:txbxContent>"
        + p("框内文字")
        + "</w:txbxContent></v:textbox></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
        "<w:sdt><w:sdtPr/><w:sdtContent>" + p("内容控件里的段落") + "</w:sdtContent></w:sdt>"
        "<w:p><w:r><w:t>看得见</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r></w:p>"
    )
    layout = read(mk.minimal_docx(body))
    assert [t for t, _ in paragraphs(layout)] == [
        "第一行",
        "第二行同一行",
        "项目 数量",
        "保留插入",
        "正文带文本框",
        "框内文字",
        "内容控件里的段落",
        "看得见",
    ]


# --------------------------------------------------------------------------------------- tables


def test_merges_grid_before_legacy_hmerge_and_stray_text_in_merged_cells():
    body = tbl(
        tr(
            tc("甲", vmerge="restart"),
            tc("乙", span=2),
            tc("丙", hmerge="restart"),
            tc("", hmerge="continue"),
        ),
        tr(tc("", vmerge=""), tc("1"), tc("2"), tc("3"), tc("4")),
        tr(tc("残留", vmerge="continue"), tc("5"), tc("6"), tc("7", span=2)),
        tr(tc("后移"), tc("8"), before=2),
    )
    (table,) = read(mk.minimal_docx(body)).tables()
    assert cell_set(table) == {
        ("甲残留", 0, 0, 3, 1),
        ("乙", 0, 1, 1, 2),
        ("丙", 0, 3, 1, 2),
        ("1", 1, 1, 1, 1),
        ("2", 1, 2, 1, 1),
        ("3", 1, 3, 1, 1),
        ("4", 1, 4, 1, 1),
        ("5", 2, 1, 1, 1),
        ("6", 2, 2, 1, 1),
        ("7", 2, 3, 1, 2),
        ("后移", 3, 2, 1, 1),
        ("8", 3, 3, 1, 1),
    }


def test_hairline_and_unused_grid_columns_are_not_printed_columns():
    grid = "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in (1000, 1000, 1, 1000)) + "</w:tblGrid>"
    body = (
        "<w:tbl>"
        + grid
        + tr(tc("A", span=2), tc("B", span=2))
        + tr(tc("C"), tc("D", span=2), tc("E"))
        + "</w:tbl>"
    )
    (table,) = read(mk.minimal_docx(body)).tables()
    assert cell_set(table) == {
        ("A", 0, 0, 1, 2),
        ("B", 0, 2, 1, 1),
        ("C", 1, 0, 1, 1),
        ("D", 1, 1, 1, 1),
        ("E", 1, 2, 1, 1),
    }
    body = tbl(tr(tc("A", span=2), tc("B", span=2)), tr(tc("C", span=2), tc("D", span=2)))
    (table,) = read(mk.minimal_docx(body)).tables()
    assert cell_set(table) == {("A", 0, 0, 1, 1), ("B", 0, 1, 1, 1), ("C", 1, 0, 1, 1), ("D", 1, 1, 1, 1)}


def test_cell_paragraphs_join_cjk_without_space_and_numbers_apart():
    body = tbl(
        tr(
            tc(p("商业") + p("企业")),
            tc(p("5") + p("0")),
            tc(p("22") + p("（其中修订16件）")),
            tc(p("ABC") + p("def")),
        )
    )
    (table,) = read(mk.minimal_docx(body)).tables()
    assert [c.text for c in table.cells] == ["商业企业", "5 0", "22（其中修订16件）", "ABC def"]


def test_nested_table_is_flattened_into_its_cell_and_content_controls_are_seen_through():
    nested = tbl(tr(tc("子甲"), tc("1")), tr(tc("子乙"), tc("2")))
    body = tbl(
        tr(tc(p("外层") + nested), tc("x")),
        "<w:sdt><w:sdtContent>"
        + tr(tc("受控行"), "<w:sdt><w:sdtContent>" + tc("受控格") + "</w:sdtContent></w:sdt>")
        + "</w:sdtContent></w:sdt>",
    )
    layout = read(mk.minimal_docx(body))
    (table,) = layout.tables()
    assert cell_set(table) == {
        ("外层子甲 1子乙 2", 0, 0, 1, 1),
        ("x", 0, 1, 1, 1),
        ("受控行", 1, 0, 1, 1),
        ("受控格", 1, 1, 1, 1),
    }


# ----------------------------------------------------------------------------------- containers


def test_title_from_core_properties_and_macro_enabled_content_type():
    data = mk.minimal_docx(p("正文"), title=" 某某局2023年政府信息公开工作年度报告 ",
                           content_type="application/vnd.ms-word.document.macroEnabled.main+xml")  # fmt: skip
    layout = read(data)
    assert layout.title == "某某局2023年政府信息公开工作年度报告"
    assert layout.meta == {"creator": "someone"}
    assert paragraphs(layout) == [("正文", False)]


def test_strict_ooxml_namespace_is_read():
    data = mk.minimal_docx(p("严格格式") + tbl(tr(tc("a"), tc("b"))))
    strict = mk.rewrite_zip_member(data, "word/document.xml", lambda x: x.replace(
        mk.W_NS.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main"))  # fmt: skip
    layout = read(strict)
    assert paragraphs(layout) == [("严格格式", False)]
    assert [c.text for c in layout.tables()[0].cells] == ["a", "b"]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a zip at all",
        b"PK\x03\x04" + b"\x00" * 40,
        mk.report_docx()[:3000],  # truncated
    ],
)
def test_not_a_docx_is_unreadable(data):
    with pytest.raises(ParseError) as err:
        read(data)
    assert err.value.kind == "unreadable"


def test_zip_without_document_or_with_broken_xml_is_unreadable():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ParseError, match="no main document part"):
        read(out.getvalue())
    broken = mk.rewrite_zip_member(mk.minimal_docx(p("x")), "word/document.xml", lambda x: x[:-30])
    with pytest.raises(ParseError, match="not well-formed"):
        read(broken)


def test_zip_bomb_is_refused_before_unpacking():
    bomb = mk.zip_bomb(24 * 1024 * 1024)
    assert len(bomb) < 200_000
    with pytest.raises(ParseError) as err:
        read(bomb)  # 24 MB is under the size limit but far over any honest compression ratio
    assert err.value.kind == "too_large"
    with pytest.raises(ParseError) as err:
        read(mk.report_docx(), max_unpacked_bytes=100_000)
    assert err.value.kind == "too_large"


def test_an_xml_part_far_larger_than_any_report_is_refused(monkeypatch):
    from parsers.readers import docx as docx_reader

    monkeypatch.setattr(docx_reader, "MAX_DOCUMENT_XML", 20_000)  # report_docx's document part is ~37 kB
    with pytest.raises(ParseError) as err:
        read(mk.report_docx())
    assert err.value.kind == "too_large" and "XML part" in err.value.reason


def test_limits_on_cells_and_time():
    with pytest.raises(ParseError) as err:
        read(mk.report_docx(), max_cells=100)
    assert err.value.kind == "too_large"
    with pytest.raises(ParseError) as err:
        read_docx(mk.report_docx(), Limits(), Deadline(0))
    assert err.value.kind == "timeout"


def test_damaged_files_give_a_parse_error_or_a_layout_never_another_exception():
    for k, source in enumerate([mk.report_docx()]):
        for damaged in mk.mutations(source, 60, seed=k):
            try:
                assert isinstance(read(damaged), Layout)
            except ParseError as err:
                assert err.kind in ("unreadable", "encrypted", "too_large") and err.reason
