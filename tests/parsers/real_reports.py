"""Reports built to look like real ones, structure for structure, with their truth written by hand.

Each case reproduces the layout of a kind of report seen on government sites (templates.md §4 and the
published pages it cites): the spans, blanks, labels and quirks as those pages print them, with our own
agency names, text and numbers. A case is a list of blocks in the print model of `mirror.reports`
(`Para`, `Table` of `Cell`s with rowspan/colspan), so the same report can be written as the HTML the
site publishes, as a DOCX (python-docx), as a Word PDF (LibreOffice's export of that DOCX, committed
under inputs/real/ by `python tests/parsers/real_reports.py`), or as a PDF drawn the way WPS draws its
tables (`drawn_pdf`: full grid, horizontal rules only, no rules, one small table per row).

`expected` is what the report prints, read off the case by hand: never the parser's output.
"""

from __future__ import annotations

import html as htmlmod
import io
import os
import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mirror.reports.printed import Cell, Para, PrintedReport, Table
from mirror.reports.to_docx import render_printed_docx
from mirror.reports.to_html import render_printed_html

INPUTS = Path(__file__).resolve().parent / "inputs" / "real"
Key = tuple[str, str, str]
APP_COLS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)
REVIEW_COLS = ("upheld", "corrected", "other", "pending", "total")


@dataclass
class Case:
    name: str
    title: str
    agency: str
    year: int
    template: str
    blocks: list[Para | Table]
    expected: dict[Key, object] = field(default_factory=dict)
    # Checks that must fail because the source is inconsistent as printed (rule -> where).
    failing: set[tuple[str, str]] = field(default_factory=set)
    sections: list[tuple[str, str]] = field(default_factory=list)  # (number, heading) as printed
    # The web page shows the title only in its <title> and ArticleTitle, not in the body.
    title_in_page_only: bool = False
    units: dict[Key, str | None] = field(default_factory=dict)  # T2008: the unit printed on each row

    def printed(self) -> PrintedReport:
        return PrintedReport(title=self.title, blocks=self.blocks, agency=self.agency, year=self.year)


def blank_or_int(text: str) -> int | float | None:
    t = text.strip()
    if not t:
        return None
    return float(t) if "." in t else int(t.replace(",", ""))


def app_rows(expected: dict, rows: list[tuple[str, str]]) -> list[list[Cell]]:
    """Table 三 value cells from `key: "a b c d e f g"` strings ("_" a blank cell); records the facts."""
    out = []
    for key, values in rows:
        texts = ["" if v == "_" else v for v in values.split()]
        assert len(texts) == 7, key
        for col, text in zip(APP_COLS, texts, strict=True):
            expected[("applications", key, col)] = blank_or_int(text)
        out.append([Cell(t) for t in texts])
    return out


# ------------------------------------------------------------------------ Shanghai 2019 (T2019)

SHANGHAI_TITLE = "2019年上海市虹桥区科学技术委员会政府信息公开工作年度报告"


def shanghai_2019() -> Case:
    """上海 2019 as published (T2019 format): title with the year first, a 发布日期 line, table 二 whose
    value cells span two grid columns under one-column headers, 251000元, table 三 with rowspan=20 on
    三、本年度办理结果 and rowspan=8 on （三）不予公开, zeros left blank (&nbsp;), the 总计 cell blank on a
    row that has values, table 四 in three header rows, the 四、 heading after a <br />."""
    e: dict[Key, object] = {}

    def active(key: str, cols: tuple[str, ...], texts: tuple[str, ...]) -> None:
        for col, text in zip(cols, texts, strict=True):
            e[("active_disclosure", key, col)] = blank_or_int(text)

    three = ("made", "published", "total_published")
    items = ("prev_items", "change", "decisions")
    active("rules", three, ("2", "2", "87"))
    active("normative_documents", three, ("11", "11", "96"))
    for key in ("licensing", "other_services", "penalty", "coercion"):
        active(key, items, ("0", "0", "0"))
    active("fees", ("prev_items", "change"), ("0", "0"))
    e[("active_disclosure", "procurement", "items")] = 4
    e[("active_disclosure", "procurement", "amount")] = 25.1  # printed 251000元

    h = dict(header=True)
    table2 = Table(
        "active_disclosure",
        [
            [Cell("第二十条第（一）项", colspan=5, **h)],
            [Cell("信息内容", **h), Cell("本年新\n制作数量", **h), Cell("本年新\n公开数量", colspan=2, **h),
             Cell("对外公开总数量", **h)],
            [Cell("规章", align="left"), Cell("2"), Cell("2", colspan=2), Cell("87")],
            [Cell("规范性文件", align="left"), Cell("11"), Cell("11", colspan=2), Cell("96")],
            [Cell("第二十条第（五）项", colspan=5, **h)],
            [Cell("信息内容", **h), Cell("上一年项目数量", **h), Cell("本年增/减", colspan=2, **h),
             Cell("处理决定数量", **h)],
            # The value cells shift: the first spans the two grid columns under 上一年项目数量 and 本年增/减.
            [Cell("行政许可", align="left"), Cell("0", colspan=2), Cell("0"), Cell("0")],
            [Cell("其他对外管理服务事项", align="left"), Cell("0", colspan=2), Cell("0"), Cell("0")],
            [Cell("第二十条第（六）项", colspan=5, **h)],
            [Cell("信息内容", **h), Cell("上一年项目数量", **h), Cell("本年增/减", colspan=2, **h),
             Cell("处理决定数量", **h)],
            [Cell("行政处罚", align="left"), Cell("0", colspan=2), Cell("0"), Cell("0")],
            [Cell("行政强制", align="left"), Cell("0", colspan=2), Cell("0"), Cell("0")],
            [Cell("第二十条第（八）项", colspan=5, **h)],
            [Cell("信息内容", **h), Cell("上一年项目数量", colspan=2, **h), Cell("本年增/减", colspan=2, **h)],
            [Cell("行政事业性收费", align="left"), Cell("0", colspan=2), Cell("0", colspan=2)],
            [Cell("第二十条第（九）项", colspan=5, **h)],
            [Cell("信息内容", **h), Cell("采购项目数量", colspan=2, **h), Cell("采购总金额", colspan=2, **h)],
            [Cell("政府集中采购", align="left"), Cell("4", colspan=2), Cell("251000元", colspan=2)],
        ],
        5,
        [3.0, 2.0, 0.2, 1.8, 1.6],
    )  # fmt: skip

    values = app_rows(
        e,
        [
            ("new_received", "412 20 _ _ 3 1 436"),
            ("carried_over", "9 _ _ _ _ _ 9"),
            ("granted", "130 6 _ _ 1 1 _"),  # 总计 left blank although the row has values
            ("partially_granted", "2 _ _ _ _ _ 2"),
            ("denied.state_secret", "5 _ _ _ _ _ 5"),
            ("denied.prohibited_by_law", "_ _ _ _ _ _ _"),
            ("denied.three_safeties", "_ _ _ _ _ _ _"),
            ("denied.third_party", "1 _ _ _ _ _ 1"),
            ("denied.internal_affairs", "3 _ _ _ _ _ 3"),
            ("denied.process_info", "2 1 _ _ _ _ 3"),
            ("denied.enforcement_file", "_ _ _ _ _ _ _"),
            ("denied.query_matter", "6 2 _ _ _ _ 8"),
            ("unable.not_held", "120 5 _ _ 1 _ 126"),
            ("unable.needs_creation", "21 2 _ _ _ _ 23"),
            ("unable.unclear", "12 _ _ _ _ _ 12"),
            ("not_processed.petition", "70 1 _ _ _ _ 71"),
            ("not_processed.duplicate", "3 2 _ _ _ _ 5"),
            ("not_processed.publication", "_ _ _ _ _ _ _"),
            ("not_processed.excessive", "_ _ _ _ _ _ _"),
            ("not_processed.reconfirm", "_ _ _ _ _ _ _"),
            ("other", "_ _ _ _ _ _ _"),
            ("total_processed", "375 19 _ _ 2 1 397"),
            ("carried_forward", "46 1 _ _ 1 _ 48"),
        ],
    )
    labels = [
        [Cell("一、本年新收政府信息公开申请数量", colspan=3, align="left")],
        [Cell("二、上年结转政府信息公开申请数量", colspan=3, align="left")],
        [Cell("三、本年度办理结果", rowspan=20), Cell("（一）予以公开", colspan=2, align="left")],
        [Cell("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2, align="left")],
        [Cell("（三）不予公开", rowspan=8, align="left"), Cell("1.属于国家秘密", align="left")],
        *[[Cell(t, align="left")] for t in ("2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
          "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷",
          "8.属于行政查询事项")],
        [Cell("（四）无法提供", rowspan=3, align="left"), Cell("1.本机关不掌握相关政府信息", align="left")],
        [Cell("2.没有现成信息需要另行制作", align="left")],
        [Cell("3.补正后申请内容仍不明确", align="left")],
        [Cell("（五）不予处理", rowspan=5, align="left"), Cell("1.信访举报投诉类申请", align="left")],
        *[[Cell(t, align="left")] for t in ("2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
          "5.要求行政机关确认或重新出具已获取信息")],
        [Cell("（六）其他处理", colspan=2, align="left")],
        [Cell("（七）总计", colspan=2, align="left")],
        [Cell("四、结转下年度继续办理", colspan=3, align="left")],
    ]  # fmt: skip
    table3 = Table(
        "applications",
        [
            [Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3, True),
             Cell("申请人情况", colspan=7, header=True)],
            [Cell("自然人", rowspan=2, header=True), Cell("法人或其他组织", colspan=5, header=True),
             Cell("总计", rowspan=2, header=True)],
            [Cell(t, header=True) for t in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
            *[lab + val for lab, val in zip(labels, values, strict=True)],
        ],
        10,
        [0.6, 1.2, 2.4] + [0.9] * 7,
    )  # fmt: skip

    review = {"review": "3 _ _ 1 4", "litigation_direct": "5 _ _ 2 7", "litigation_after_review": "_ _ _ _ _"}
    data = []
    for group, texts in review.items():
        for col, text in zip(REVIEW_COLS, texts.split(), strict=True):
            e[("review_litigation", group, col)] = blank_or_int(text.replace("_", ""))
            data.append(Cell("" if text == "_" else text))
    words = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    table4 = Table(
        "review_litigation",
        [
            [Cell("行政复议", colspan=5, header=True), Cell("行政诉讼", colspan=10, header=True)],
            [*[Cell(w, rowspan=2, header=True) for w in words], Cell("未经复议直接起诉", colspan=5, header=True),
             Cell("复议后起诉", colspan=5, header=True)],
            [Cell(w, header=True) for w in words * 2],
            data,
        ],
        15,
        [1.0] * 15,
    )  # fmt: skip

    blocks: list[Para | Table] = [
        Para(SHANGHAI_TITLE, "title"),
        Para("发布日期：2020-01-22", "caption"),
        Para(
            "本年度报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）的要求编制，全文包括总体情况、主动公开"
            "政府信息情况、收到和处理政府信息公开申请情况、因政府信息公开工作被申请行政复议和提起行政诉讼情况、政府信息"
            "公开工作存在的主要问题及改进情况及其他需要报告的事项。本年度报告中所列数据统计期限从2019年1月1日到12月31日止。"
        ),
        Para("一、总体情况", "heading"),
        Para("2019年，我委按照市政府办公厅的部署推进政务公开，围绕科技创新中心建设做好信息发布和政策解读。"),
        Para("（一）主动公开方面"),
        Para("通过门户网站主动公开规章2件、规范性文件11件，及时发布科技计划项目申报和立项信息。"),
        Para("（二）依申请公开方面"),
        Para(
            "全年共受理政府信息公开申请436件，答复397件（含上年度结转申请9件），另有48件按照《条例》顺延到下年度答复。"
        ),
        Para("二、主动公开政府信息情况", "heading"),
        table2,
        Para("三、收到和处理政府信息公开申请情况", "heading"),
        table3,
        Para("四、政府信息公开行政复议、行政诉讼情况", "heading"),
        table4,
        Para("五、政府信息公开工作存在的主要问题及改进情况", "heading"),
        Para("（一）主要问题"),
        Para("一是政策解读的形式仍较单一；二是依申请办理的答复文书有待进一步规范。"),
        Para("（二）改进措施"),
        Para("一是丰富图解、视频等解读形式；二是修订依申请办理工作规程，统一答复文书格式。"),
        Para("六、其他需要报告的事项", "heading"),
        Para("无。"),
    ]
    return Case(
        "shanghai_2019",
        SHANGHAI_TITLE,
        "上海市虹桥区科学技术委员会",
        2019,
        "T2019",
        blocks,
        e,
        failing={("applications.results_sum", "total")},  # the blank 总计 of （一）予以公开 counts as nothing
        sections=[("一", "总体情况"), ("二", "主动公开政府信息情况"), ("三", "收到和处理政府信息公开申请情况"),
                  ("四", "政府信息公开行政复议、行政诉讼情况"), ("五", "政府信息公开工作存在的主要问题及改进情况"),
                  ("六", "其他需要报告的事项")],
    )  # fmt: skip


def shanghai_html(case: Case) -> bytes:
    """The page as the Shanghai site serves it: paragraphs as bare <p>, tables with nowrap and pixel
    widths, every cell's text in <p align="center">, a blank cell as <p align="center">&nbsp;</p>, a line
    break inside a header cell as <br />, and a <br /> before the 四、 heading."""
    out = [
        '<!DOCTYPE html><html><head><meta charset="utf-8">',
        f"<title>{htmlmod.escape(case.title)}</title>",
        f'<meta name="ArticleTitle" content="{htmlmod.escape(case.title)}">',
        '</head><body><div class="nav">首页 &gt; 政务公开 &gt; 政府信息公开年报</div><div id="ivs_content">',
    ]
    for block in case.blocks:
        if isinstance(block, Para):
            if block.style == "title":
                out.append(
                    f"<p style='text-align: center;font-weight: bold;'>{htmlmod.escape(block.text)}</p>"
                )
            elif block.style == "caption":
                out.append(f"<p style='text-align: center'>{htmlmod.escape(block.text)}</p>")
            elif block.text.startswith("四、"):
                out.append(f"<p><br />{htmlmod.escape(block.text)}</p>")
            else:
                out.append(f"<p>{htmlmod.escape(block.text)}</p>")
            continue
        rows: dict[int, list[str]] = {}
        for r, _c, cell in block.placed():
            attrs = ' nowrap="nowrap"'
            if cell.colspan > 1:
                attrs = f' colspan="{cell.colspan}"' + attrs
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            attrs += f' style="width:{40 * cell.colspan}px;"'
            if cell.text:
                body = "<br />".join(htmlmod.escape(x) for x in cell.text.split("\n"))
                align = "" if cell.align == "left" else ' align="center"'
                inner = f"<p{align}>{body}</p>"
            else:
                inner = '<p align="center">&nbsp;</p>'
            rows.setdefault(r, []).append(f"<td{attrs}>{inner}</td>")
        body = "".join(f"<tr>{''.join(cells)}</tr>" for _, cells in sorted(rows.items()))
        out.append(f'<table align="center" border="1" cellspacing="1"><tbody>{body}</tbody></table>')
    out.append('</div><div class="footer">主办：上海市虹桥区人民政府</div></body></html>')
    return "\n".join(out).encode("utf-8")


# ------------------------------------------------------------------------ Jiangsu 2024 (T2021)

JIANGSU_TITLE = "淮安市运河区财政局2024年政府信息公开工作年度报告"


def jiangsu_2024() -> Case:
    """A Jiangsu county-level 2024 report as its PDF prints it (T2021 format): table 二 with
    `第二十条 第（一）项`, an annotated count, a thousands-separated count and a six-decimal amount; table
    三 with the T2019-style single （六）其他处理 row, `1、` numbering, the typo `其他法律行政止公开`, the
    group label `三、本年度办理结果` printed one character a line, header words broken (`商业企` / `业`), a
    page break inside （四）无法提供 cutting its label (`（四）无` / `法提供`) and the vertical label, and a
    总计 cell left blank; table 四 with `总 计`, a 总计 of 0 over non-zero parts, and a footnote under it."""
    e: dict[Key, object] = {}
    h = dict(header=True)

    def block(title: str, head: list[str], rows: list[tuple[str, str, list[str]]]) -> list[list[Cell]]:
        out = [[Cell(title, colspan=4, **h)], [Cell("信息内容", **h)]]
        span = 4 - len(head)
        out[1] += [Cell(t, colspan=span if i == len(head) - 1 else 1, **h) for i, t in enumerate(head)]
        for _key, label, values in rows:
            cells = [Cell(label, align="left")]
            for i, text in enumerate(values):
                cells.append(Cell(text, colspan=span if i == len(values) - 1 else 1))
            out.append(cells)
        return out

    cols3 = ("issued", "repealed", "in_force")
    rows2 = [
        ("rules", cols3, ["0", "0", "0"], [0, 0, 0]),
        ("normative_documents", cols3, ["22（其中修订16件）", "3", "118"], [22, 3, 118]),
        ("licensing", ("decisions",), ["517645"], [517645]),
        ("penalty", ("decisions",), ["3,985,758"], [3985758]),
        ("coercion", ("decisions",), ["2154"], [2154]),
        ("fees", ("amount",), ["24252.311082"], [24252.311082]),
    ]
    for key, cols, _texts, values in rows2:
        for col, value in zip(cols, values, strict=True):
            e[("active_disclosure", key, col)] = value
    t2 = {k: texts for k, _c, texts, _v in rows2}
    table2 = Table(
        "active_disclosure",
        block("第二十条 第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
              [("rules", "规章", t2["rules"]), ("normative_documents", "行政规范性文件", t2["normative_documents"])])
        + block("第二十条 第（五）项", ["本年处理决定数量"], [("licensing", "行政许可", t2["licensing"])])
        + block("第二十条 第（六）项", ["本年处理决定数量"],
                [("penalty", "行政处罚", t2["penalty"]), ("coercion", "行政强制", t2["coercion"])])
        + block("第二十条 第（八）项", ["本年收费金额（单位：万元）"], [("fees", "行政事业性收费", t2["fees"])]),
        4,
        [2.6, 1.6, 1.6, 1.6],
    )  # fmt: skip

    values = app_rows(
        e,
        [
            ("new_received", "705 3 0 0 5 0 713"),
            ("carried_over", "36 0 0 0 0 0 36"),
            ("granted", "290 1 0 0 3 0 294"),
            ("partially_granted", "99 0 0 0 2 0 101"),
            ("denied.state_secret", "0 0 0 0 0 0 0"),
            ("denied.prohibited_by_law", "0 0 0 0 0 0 0"),
            ("denied.three_safeties", "2 0 0 0 0 0 2"),
            ("denied.third_party", "2 0 0 0 0 0 2"),
            ("denied.internal_affairs", "13 0 0 0 0 0 13"),
            ("denied.process_info", "2 0 0 0 0 0 2"),
            ("denied.enforcement_file", "4 0 0 0 0 0 4"),
            ("denied.query_matter", "9 0 0 0 0 0 9"),
            ("unable.not_held", "111 0 0 0 0 0 _"),  # 总计 left blank
            ("unable.needs_creation", "2 0 0 0 0 0 2"),
            ("unable.unclear", "0 0 0 0 0 0 0"),
            ("not_processed.petition", "12 0 0 0 0 0 12"),
            ("not_processed.duplicate", "6 1 0 0 0 0 7"),
            ("not_processed.publication", "0 0 0 0 0 0 0"),
            ("not_processed.excessive", "0 0 0 0 0 0 0"),
            ("not_processed.reconfirm", "0 0 0 0 0 0 0"),
            ("other", "158 1 0 0 0 0 159"),
            ("total_processed", "710 3 0 0 5 0 718"),
            ("carried_forward", "31 0 0 0 0 0 31"),
        ],
    )
    item = dict(align="left")
    labels = [
        [Cell("一、本年新收政府信息公开申请数量", colspan=3, **item)],
        [Cell("二、上年结转政府信息公开申请数量", colspan=3, **item)],
        [Cell("三、本\n年\n度\n办\n理\n结\n果", rowspan=20), Cell("（一）予以公开", colspan=2, **item)],
        [Cell("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2, **item)],
        [Cell("（三）不予公开", rowspan=8), Cell("1、属于国家秘密", **item)],
        *[[Cell(t, **item)] for t in ("2、其他法律行政止公开", "3、危及“三安全一稳定”", "4、保护第三方合法权益",
          "5、属于三类内部事务信息", "6、属于四类过程性信息", "7、属于行政执法案卷", "8、属于行政查询事项")],
        [Cell("（四）无\n法提供", rowspan=3), Cell("1、本机关不掌握相关政府信息", **item)],
        [Cell("2、没有现成信息需要另行制作", **item)],
        [Cell("3、补正后申请内容仍不明确", **item)],
        [Cell("（五）不予处理", rowspan=5), Cell("1、信访举报投诉类申请", **item)],
        *[[Cell(t, **item)] for t in ("2、重复申请", "3、要求提供公开出版物", "4、无正当理由大量反复申请",
          "5、要求行政机关确认或重新出具已获取信息")],
        [Cell("（六）其他处理", colspan=2, **item)],
        [Cell("（七）总计", colspan=2, **item)],
        [Cell("四、结转下年度继续办理", colspan=3, **item)],
    ]  # fmt: skip
    header_rows = [
        [Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3, True),
         Cell("申请人情况", colspan=7, **h)],
        [Cell("自然人", rowspan=2, **h), Cell("法人或其他组织", colspan=5, **h), Cell("总计", rowspan=2, **h)],
        [Cell(t, **h) for t in ("商业企\n业", "科研机\n构", "社会公\n益组织", "法律服\n务机构", "其他")],
    ]  # fmt: skip
    table3 = Table(
        "applications",
        [*header_rows, *[lab + val for lab, val in zip(labels, values, strict=True)]],
        10,
        [0.7, 1.4, 2.6] + [0.9] * 7,
    )
    table3.breaks = [3 + 2 + 11]  # before 2、没有现成信息需要另行制作: inside （四）无法提供

    # 未经复议直接起诉 as 洪泽区 2023 printed it: parts 2, 0, 1, 0 and a 总计 of 0 (a source error).
    review = {
        "review": "27 10 9 15 61",
        "litigation_direct": "2 0 1 0 0",
        "litigation_after_review": "8 0 1 1 10",
    }
    data = []
    for group, texts in review.items():
        for col, text in zip(REVIEW_COLS, texts.split(), strict=True):
            e[("review_litigation", group, col)] = int(text)
            data.append(Cell(text))
    words = ("结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总 计")
    table4 = Table(
        "review_litigation",
        [
            [Cell("行政复议", colspan=5, **h), Cell("行政诉讼", colspan=10, **h)],
            [*[Cell(w, rowspan=2, **h) for w in words], Cell("未经复议直接起诉", colspan=5, **h),
             Cell("复议后起诉", colspan=5, **h)],
            [Cell(w, **h) for w in words * 2],
            data,
        ],
        15,
        [1.0] * 15,
    )  # fmt: skip

    blocks: list[Para | Table] = [
        Para(JIANGSU_TITLE, "title"),
        Para("（2025年1月20日）", "caption"),
        Para(
            "依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》"
            "（国办公开办函〔2021〕30号）规定，编制本报告。本报告所列数据统计期限从2024年1月1日至2024年12月31日止。"
        ),
        Para("一、总体情况", "heading"),
        Para("2024年，我局认真落实《条例》要求，围绕财政中心工作做好政府信息公开。"),
        Para("（一）主动公开。", "subheading"),
        Para("全年通过门户网站主动公开财政预决算、政府采购等信息1356条，制发行政规范性文件22件。"),
        Para("（二）依申请公开。", "subheading"),
        Para("全年共受理政府信息公开申请713件，办理718件（含上年结转36件），结转下一年度31件。"),
        Para("二、主动公开政府信息情况", "heading"),
        table2,
        Para("三、收到和处理政府信息公开申请情况", "heading"),
        table3,
        Para("四、政府信息公开行政复议、行政诉讼情况", "heading"),
        table4,
        Para("注：行政复议、行政诉讼数量含上年度结转数量。", "caption"),
        Para("五、存在的主要问题及改进情况", "heading"),
        Para(
            "一是政策解读形式较为单一；二是依申请办理质量仍需提升。下一步，我局将丰富解读形式，加强业务培训。"
        ),
        Para("六、其他需要报告的事项", "heading"),
        Para("2024年度未收取信息处理费。"),
    ]
    return Case(
        "jiangsu_2024",
        JIANGSU_TITLE,
        "淮安市运河区财政局",
        2024,
        "T2021",
        blocks,
        e,
        # The blank 总计 of 1、本机关不掌握… counts as nothing; 未经复议直接起诉 totals 0 over parts of 3.
        failing={("applications.results_sum", "total"), ("review_litigation.row_total", "litigation_direct")},
        sections=[("一", "总体情况"), ("二", "主动公开政府信息情况"), ("三", "收到和处理政府信息公开申请情况"),
                  ("四", "政府信息公开行政复议、行政诉讼情况"), ("五", "存在的主要问题及改进情况"),
                  ("六", "其他需要报告的事项")],
    )  # fmt: skip


# ----------------------------------------------------------- Shanghai science commission 2024 (T2021)

KW_TITLE = "上海市科学技术委员会、上海市外国专家局2024年政府信息公开年度报告（超链版）"


def shanghai_kw_2024() -> Case:
    """A city commission's 2024 report as its page publishes it: the title only in the page's <title>
    and ArticleTitle (the body starts with the preface), two agencies in the title, no 工作 in it and
    an edition mark; the narrative parts first (一、总体情况 … 三、其他需要报告的事项), then the tables
    under headings numbered afresh from 一、; `规范性文件` for 行政规范性文件; table 三's 总计 column
    left blank throughout."""
    e: dict[Key, object] = {}
    h = dict(header=True)
    t2_rows = [
        ("rules", "规章", ("issued", "repealed", "in_force"), ("0", "0", "0")),
        ("normative_documents", "规范性文件", ("issued", "repealed", "in_force"), ("5", "2", "61")),
        ("licensing", "行政许可", ("decisions",), ("1324",)),
        ("penalty", "行政处罚", ("decisions",), ("0",)),
        ("coercion", "行政强制", ("decisions",), ("0",)),
        ("fees", "行政事业性收费", ("amount",), ("0",)),
    ]
    for key, _label, cols, texts in t2_rows:
        for col, text in zip(cols, texts, strict=True):
            e[("active_disclosure", key, col)] = blank_or_int(text)

    def vals(texts: tuple[str, ...]) -> list[Cell]:
        return [Cell(t) for t in texts[:-1]] + [Cell(texts[-1], colspan=4 - len(texts))]

    r = {k: (label, texts) for k, label, _c, texts in t2_rows}
    table2 = Table(
        "active_disclosure",
        [
            [Cell("第二十条第（一）项", colspan=4, **h)],
            [Cell("信息内容", **h), Cell("本年制发件数", **h), Cell("本年废止件数", **h), Cell("现行有效件数", **h)],
            [Cell(r["rules"][0]), *vals(r["rules"][1])],
            [Cell(r["normative_documents"][0]), *vals(r["normative_documents"][1])],
            [Cell("第二十条第（五）项", colspan=4, **h)],
            [Cell("信息内容", **h), Cell("本年处理决定数量", colspan=3, **h)],
            [Cell(r["licensing"][0]), *vals(r["licensing"][1])],
            [Cell("第二十条第（六）项", colspan=4, **h)],
            [Cell("信息内容", **h), Cell("本年处理决定数量", colspan=3, **h)],
            [Cell(r["penalty"][0]), *vals(r["penalty"][1])],
            [Cell(r["coercion"][0]), *vals(r["coercion"][1])],
            [Cell("第二十条第（八）项", colspan=4, **h)],
            [Cell("信息内容", **h), Cell("本年收费金额（单位：万元）", colspan=3, **h)],
            [Cell(r["fees"][0]), *vals(r["fees"][1])],
        ],
        4,
        [2.4, 1.6, 1.6, 1.6],
    )  # fmt: skip

    values = app_rows(
        e,
        [
            ("new_received", "86 9 2 0 1 3 _"),
            ("carried_over", "4 0 0 0 0 0 _"),
            ("granted", "40 5 1 0 1 1 _"),
            ("partially_granted", "6 1 0 0 0 0 _"),
            ("denied.state_secret", "0 0 0 0 0 0 _"),
            ("denied.prohibited_by_law", "0 0 0 0 0 0 _"),
            ("denied.three_safeties", "0 0 0 0 0 0 _"),
            ("denied.third_party", "1 0 0 0 0 0 _"),
            ("denied.internal_affairs", "2 0 0 0 0 0 _"),
            ("denied.process_info", "3 1 0 0 0 0 _"),
            ("denied.enforcement_file", "0 0 0 0 0 0 _"),
            ("denied.query_matter", "0 0 0 0 0 0 _"),
            ("unable.not_held", "20 2 1 0 0 1 _"),
            ("unable.needs_creation", "3 0 0 0 0 0 _"),
            ("unable.unclear", "1 0 0 0 0 0 _"),
            ("not_processed.petition", "4 0 0 0 0 0 _"),
            ("not_processed.duplicate", "2 0 0 0 0 0 _"),
            ("not_processed.publication", "0 0 0 0 0 0 _"),
            ("not_processed.excessive", "0 0 0 0 0 0 _"),
            ("not_processed.reconfirm", "1 0 0 0 0 0 _"),
            ("other.overdue_correction", "2 0 0 0 0 0 _"),
            ("other.overdue_fee", "0 0 0 0 0 0 _"),
            ("other.other", "1 0 0 0 0 0 _"),
            ("total_processed", "86 9 2 0 1 2 _"),
            ("carried_forward", "4 0 0 0 0 1 _"),
        ],
    )
    left = dict(align="left")
    labels = [
        [Cell("一、本年新收政府信息公开申请数量", colspan=3, **left)],
        [Cell("二、上年结转政府信息公开申请数量", colspan=3, **left)],
        [Cell("三、本年度办理结果", rowspan=22), Cell("（一）予以公开", colspan=2, **left)],
        [Cell("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2, **left)],
        [Cell("（三）不予公开", rowspan=8), Cell("1.属于国家秘密", **left)],
        *[[Cell(t, **left)] for t in ("2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
          "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项")],
        [Cell("（四）无法提供", rowspan=3), Cell("1.本机关不掌握相关政府信息", **left)],
        [Cell("2.没有现成信息需要另行制作", **left)],
        [Cell("3.补正后申请内容仍不明确", **left)],
        [Cell("（五）不予处理", rowspan=5), Cell("1.信访举报投诉类申请", **left)],
        *[[Cell(t, **left)] for t in ("2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
          "5.要求行政机关确认或重新出具已获取信息")],
        [Cell("（六）其他处理", rowspan=3), Cell("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", **left)],
        [Cell("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", **left)],
        [Cell("3.其他", **left)],
        [Cell("（七）总计", colspan=2, **left)],
        [Cell("四、结转下年度继续办理", colspan=3, **left)],
    ]  # fmt: skip
    table3 = Table(
        "applications",
        [
            [Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3, True),
             Cell("申请人情况", colspan=7, **h)],
            [Cell("自然人", rowspan=2, **h), Cell("法人或其他组织", colspan=5, **h), Cell("总计", rowspan=2, **h)],
            [Cell(t, **h) for t in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
            *[lab + val for lab, val in zip(labels, values, strict=True)],
        ],
        10,
        [0.8, 1.4, 3.0] + [0.9] * 7,
    )  # fmt: skip
    data = []
    for group in ("review", "litigation_direct", "litigation_after_review"):
        for col in REVIEW_COLS:
            e[("review_litigation", group, col)] = 0
            data.append(Cell("0"))
    words = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    table4 = Table(
        "review_litigation",
        [
            [Cell("行政复议", colspan=5, **h), Cell("行政诉讼", colspan=10, **h)],
            [*[Cell(w, rowspan=2, **h) for w in words], Cell("未经复议直接起诉", colspan=5, **h),
             Cell("复议后起诉", colspan=5, **h)],
            [Cell(w, **h) for w in words * 2],
            data,
        ],
        15,
        [1.0] * 15,
    )  # fmt: skip
    blocks: list[Para | Table] = [
        Para(KW_TITLE, "title"),
        Para(
            "本报告依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》编制，"
            "所列数据统计期限自2024年1月1日起至2024年12月31日止。"
        ),
        Para("一、总体情况", "heading"),
        Para("2024年，我委全年收到政府信息公开申请101件，其中自然人申请86件，均按期答复。"),
        Para("二、存在的主要问题及改进情况", "heading"),
        Para("政策解读的针对性仍需加强。下一步，我委将围绕科技创新政策做好精准解读。"),
        Para("三、其他需要报告的事项", "heading"),
        Para("本年度未收取信息处理费。各项统计数据见下表。"),
        Para("一、主动公开政府信息情况", "heading"),
        table2,
        Para("二、收到和处理政府信息公开申请情况", "heading"),
        table3,
        Para("三、政府信息公开行政复议、行政诉讼情况", "heading"),
        table4,
    ]
    return Case(
        "shanghai_kw_2024",
        KW_TITLE,
        "上海市科学技术委员会、上海市外国专家局",
        2024,
        "T2021",
        blocks,
        e,
        failing=set(),
        sections=[("一", "总体情况"), ("二", "存在的主要问题及改进情况"), ("三", "其他需要报告的事项"),
                  ("一", "主动公开政府信息情况"), ("二", "收到和处理政府信息公开申请情况"),
                  ("三", "政府信息公开行政复议、行政诉讼情况")],
        title_in_page_only=True,
    )  # fmt: skip


# ------------------------------------------------------------------------------ T2008 统计表 cases

# (label as printed, unit, value(s) as printed, schema key or None for a heading that prints nothing)
LegacyRow = tuple[str, str, tuple[str, ...], str | None]


def legacy_table(case: Case, header: list[str], rows: list[LegacyRow], widths: list[float]) -> Table:
    """A 统计表 as printed, recording each value cell's fact and unit in the case."""
    out = [[Cell(h, header=True) for h in header]]
    n_values = sum(1 for h in header if h in ("统计数", "本年度", "历年累计", "本期实际"))
    for label, unit, values, key in rows:
        cells = [Cell(label, align="left")]
        if "代码" in header:
            cells.append(Cell(values[0]))
            values = values[1:]
        cells.append(Cell(unit))
        cells += [Cell(v) for v in values] + [Cell("") for _ in range(n_values - len(values))]
        out.append(cells)
        if key is None:
            continue
        for col, text in zip(("value", "cumulative"), values, strict=False):
            case.expected[("legacy_stats", key, col)] = blank_or_int(text)
            case.units[("legacy_stats", key, col)] = unit if unit not in ("", "—") else None
    return Table("legacy_stats", out, len(header), widths)


def fujian_2015() -> Case:
    """A Fujian (Pingtan) 2015 report: the older national table 指标名称 | 计量单位 | 本年度 | 历年累计,
    `条` as the unit of requests too, 信函、传真 as one row, 其他类型答复数, the 2015-only 收费减免金额 in 元,
    and seven sections with 收费及减免情况 on its own; published as a notice's attachment (附件： above
    the title)."""
    title = "平潭综合实验区农村发展局2015年政府信息公开工作年度报告"
    case = Case("fujian_2015", title, "平潭综合实验区农村发展局", 2015, "T2008", [])
    rows: list[LegacyRow] = [
        ("主动公开文件数", "条", ("356", "2874"), "active.total"),
        ("其中：1.政府网站公开数", "条", ("342", "2790"), "active.channel.website"),
        ("2.政府公报公开数", "条", ("14", "84"), "active.channel.gazette"),
        ("受理依申请公开信息总数", "条", ("6", "31"), "requests.received"),
        ("其中：1.当面申请数", "条", ("1", "9"), "requests.received.in_person"),
        ("2.网上申请数", "条", ("4", "17"), "requests.received.online"),
        ("3.信函、传真申请数", "条", ("1", "5"), "label:3.信函、传真申请数"),
        ("对申请的答复总数", "条", ("6", "31"), "requests.answered"),
        ("其中：1.同意公开答复数", "条", ("4", "22"), "requests.answered.granted"),
        ("2.同意部分公开答复数", "条", ("1", "3"), "requests.answered.partially_granted"),
        ("3.不予公开答复数", "条", ("0", "2"), "requests.answered.denied"),
        ("4.其他类型答复数", "条", ("1", "4"), "label:4.其他类型答复数"),
        ("政府信息公开收费减免金额", "元", ("0", "120"), "label:政府信息公开收费减免金额"),
        ("接受行政诉讼、举报数", "件", ("0", "0"), "label:接受行政诉讼、举报数"),
        ("行政复议数", "件", ("0", "1"), "review.total"),
        ("行政诉讼数", "件", ("0", "0"), "litigation.total"),
    ]
    table = legacy_table(case, ["指标名称", "计量单位", "本年度", "历年累计"], rows, [5.0, 1.2, 1.2, 1.2])
    sections = [
        ("一", "概述", "2015年，我局按照区管委会的部署做好政府信息公开工作，全年主动公开政府信息356条。"),
        ("二", "主动公开政府信息情况", "通过区政府门户网站主动公开政府信息342条，通过政府公报公开14条。"),
        ("三", "依申请公开政府信息情况", "全年受理政府信息公开申请6件，均按期答复。"),
        ("四", "政府信息公开的收费及减免情况", "本年度未收取政府信息公开费用。"),
        ("五", "因政府信息公开申请提起行政复议、行政诉讼的情况", "本年度未发生因政府信息公开申请提起行政复议、行政诉讼的情况。"),
        ("六", "政府信息公开工作存在的主要问题和改进措施", "公开内容的时效性有待提高。下一步将完善公开制度。"),
        ("七", "其他需要报告的事项", "无。"),
    ]  # fmt: skip
    # Published as the attachment of a notice: an `附件：` line above the title.
    case.blocks = [Para("附件：", "caption"), Para(title, "title")]
    for number, heading, text in sections:
        case.blocks += [Para(f"{number}、{heading}", "heading"), Para(text)]
        case.sections.append((number, heading))
    case.blocks += [Para("附表：平潭综合实验区农村发展局2015年政府信息公开情况统计表", "appendix"), table]
    return case


def national_2019_old_style() -> Case:
    """A 2019 report still in the pre-2019 style (the 2019 notice let reports merely 参照 the new format):
    the national 统计表 without the 重点领域 block, 统计指标 | 单位 | 统计数, blocks headed 一、… 九、."""
    title = "宁夏回族自治区中卫市审计局2019年政府信息公开工作年度报告"
    case = Case("national_2019_old_style", title, "宁夏回族自治区中卫市审计局", 2019, "T2008", [])
    rows: list[LegacyRow] = [
        ("一、主动公开情况", "", (), None),
        ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", ("215",), "active.total"),
        ("其中：主动公开规范性文件数", "条", ("3",), "active.normative_documents"),
        ("制发规范性文件总数", "件", ("3",), "active.normative_documents_issued"),
        ("（二）通过不同渠道和方式公开政府信息的情况", "", (), None),
        ("1.政府公报公开政府信息数", "条", ("0",), "active.channel.gazette"),
        ("2.政府网站公开政府信息数", "条", ("198",), "active.channel.website"),
        ("3.政务微博公开政府信息数", "条", ("0",), "active.channel.weibo"),
        ("4.政务微信公开政府信息数", "条", ("17",), "active.channel.wechat"),
        ("5.其他方式公开政府信息数", "条", ("0",), "active.channel.other"),
        ("二、回应解读情况", "", (), None),
        ("（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）", "次", ("2",), "response.hot_topics"),
        ("（二）通过不同渠道和方式回应解读的情况", "", (), None),
        ("1.参加或举办新闻发布会总次数", "次", ("1",), "response.press_conferences"),
        ("其中：主要负责同志参加新闻发布会次数", "次", ("1",), "response.press_conferences_by_head"),
        ("2.政府网站在线访谈次数", "次", ("0",), "response.online_interviews"),
        ("其中：主要负责同志参加政府网站在线访谈次数", "次", ("0",), "response.online_interviews_by_head"),
        ("3.政策解读稿件发布数", "篇", ("3",), "response.interpretations"),
        ("4.微博微信回应事件数", "次", ("0",), "response.weibo_wechat"),
        ("5.其他方式回应事件数", "次", ("1",), "response.other"),
        ("三、依申请公开情况", "", (), None),
        ("（一）收到申请数", "件", ("4",), "requests.received"),
        ("1.当面申请数", "件", ("1",), "requests.received.in_person"),
        ("2.传真申请数", "件", ("0",), "requests.received.fax"),
        ("3.网络申请数", "件", ("2",), "requests.received.online"),
        ("4.信函申请数", "件", ("1",), "requests.received.letter"),
        ("（二）申请办结数", "件", ("4",), "requests.closed"),
        ("1.按时办结数", "件", ("4",), "requests.closed.on_time"),
        ("2.延期办结数", "件", ("0",), "requests.closed.extended"),
        ("（三）申请答复数", "件", ("4",), "requests.answered"),
        ("1.属于已主动公开范围数", "件", ("1",), "requests.answered.already_public"),
        ("2.同意公开答复数", "件", ("2",), "requests.answered.granted"),
        ("3.同意部分公开答复数", "件", ("0",), "requests.answered.partially_granted"),
        ("4.不同意公开答复数", "件", ("1",), "requests.answered.denied"),
        ("其中：涉及国家秘密", "件", ("0",), "requests.denied.state_secret"),
        ("涉及商业秘密", "件", ("0",), "requests.denied.commercial_secret"),
        ("涉及个人隐私", "件", ("1",), "requests.denied.privacy"),
        ("危及国家安全、公共安全、经济安全和社会稳定", "件", ("0",), "requests.denied.security_stability"),
        ("不是《条例》所指政府信息", "件", ("0",), "requests.denied.not_government_info"),
        ("法律法规规定的其他情形", "件", ("0",), "requests.denied.other_law"),
        ("5.不属于本行政机关公开数", "件", ("0",), "requests.answered.not_this_agency"),
        ("6.申请信息不存在数", "件", ("0",), "requests.answered.not_exist"),
        ("7.告知作出更改补充数", "件", ("0",), "requests.answered.correction_requested"),
        ("8.告知通过其他途径办理数", "件", ("0",), "requests.answered.other_channel"),
        ("四、行政复议数量", "件", ("0",), "review.total"),
        ("（一）维持具体行政行为数", "件", ("0",), "review.upheld"),
        ("（二）被依法纠错数", "件", ("0",), "review.corrected"),
        ("（三）其他情形数", "件", ("0",), "review.other"),
        ("五、行政诉讼数量", "件", ("0",), "litigation.total"),
        ("（一）维持具体行政行为或者驳回原告诉讼请求数", "件", ("0",), "litigation.upheld"),
        ("（二）被依法纠错数", "件", ("0",), "litigation.corrected"),
        ("（三）其他情形数", "件", ("0",), "litigation.other"),
        ("六、举报投诉数量", "件", ("0",), "complaints"),
        ("七、依申请公开信息收取的费用", "万元", ("0",), "fees"),
        ("八、机构建设和保障经费情况", "", (), None),
        ("（一）政府信息公开工作专门机构数", "个", ("1",), "staffing.offices"),
        ("（二）设置政府信息公开查阅点数", "个", ("1",), "staffing.reading_rooms"),
        ("（三）从事政府信息公开工作人员数", "人", ("3",), "staffing.staff"),
        ("1.专职人员数（不包括政府公报及政府网站工作人员数）", "人", ("1",), "staffing.full_time"),
        ("2.兼职人员数", "人", ("2",), "staffing.part_time"),
        ("（四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）", "万元", ("1.5",),
         "staffing.budget"),
        ("九、政府信息公开会议和培训情况", "", (), None),
        ("（一）召开政府信息公开工作会议或专题会议数", "次", ("2",), "training.meetings"),
        ("（二）举办各类培训班数", "次", ("1",), "training.sessions"),
        ("（三）接受培训人员数", "人次", ("12",), "training.trainees"),
    ]  # fmt: skip
    table = legacy_table(case, ["统计指标", "单位", "统计数"], rows, [6.0, 1.0, 1.2])
    sections = [
        ("一", "概述", "2019年，我局按照市政府的统一部署推进政府信息公开工作，全年主动公开政府信息215条。"),
        ("二", "主动公开政府信息情况", "通过市政府门户网站公开政府信息198条，通过政务微信公开17条。"),
        ("三", "依申请公开政府信息情况", "全年收到政府信息公开申请4件，均已按时办结。"),
        ("四", "政府信息公开的收费及减免情况", "本年度未收取任何费用。"),
        ("五", "因政府信息公开申请行政复议、提起行政诉讼的情况", "无。"),
        ("六", "政府信息公开工作存在的主要问题及改进情况", "公开的及时性仍需提高。"),
        ("七", "其他需要报告的事项", "无。"),
    ]  # fmt: skip
    case.blocks = [
        Para("宁夏回族自治区中卫市审计局", "title"),
        Para("2019年政府信息公开工作年度报告", "title"),
    ]
    for number, heading, text in sections:
        case.blocks += [Para(f"{number}、{heading}", "heading"), Para(text)]
        case.sections.append((number, heading))
    case.blocks += [
        Para("附件：宁夏回族自治区中卫市审计局政府信息公开情况统计表（2019年度）", "appendix"),
        table,
    ]
    return case


def national_code_2012() -> Case:
    """A 2012 county report titled `…政府信息公开年报`, whose 统计表 is the national report form: a 代码
    column after the indicator, and the column-letter row (甲 乙 丙 1) under the header."""
    title = "某县人力资源和社会保障局2012年政府信息公开年报"
    case = Case("national_code_2012", title, "某县人力资源和社会保障局", 2012, "T2008", [])
    rows: list[LegacyRow] = [
        ("主动公开政府信息数", "条", ("01", "143"), "active.total"),
        ("其中：主动公开规范性文件数", "条", ("02", "5"), "active.normative_documents"),
        ("收到申请数", "件", ("03", "7"), "requests.received"),
        ("其中：1.当面申请数", "件", ("04", "2"), "requests.received.in_person"),
        ("2.传真申请数", "件", ("05", "0"), "requests.received.fax"),
        ("3.网络申请数", "件", ("06", "4"), "requests.received.online"),
        ("4.信函申请数", "件", ("07", "1"), "requests.received.letter"),
        ("行政复议数", "件", ("08", "1"), "review.total"),
        ("行政诉讼数", "件", ("09", "0"), "litigation.total"),
        ("举报投诉数", "件", ("10", "0"), "complaints"),
    ]
    header = ["指标名称", "代码", "计量单位", "统计数"]
    table = legacy_table(case, header, rows, [5.0, 0.8, 1.0, 1.2])
    table.rows.insert(1, [Cell(t) for t in ("甲", "乙", "丙", "1")])
    case.blocks = [
        Para(title, "title"),
        Para("一、概述", "heading"),
        Para("本报告统计期限为2012年1月1日至2012年12月31日。全年主动公开政府信息143条，收到申请7件。"),
        Para("二、政府信息公开情况统计表", "heading"),
        table,
    ]
    case.sections = [("一", "概述"), ("二", "政府信息公开情况统计表")]
    return case


# ------------------------------------------------------------------------------------- writers

WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT, TOP, BOTTOM = 72.0, 523.0, 80.0, 770.0


def drawn_pdf(
    case: Case | PrintedReport, rules: str = "grid", gap: float = 0.0, repeat_header: bool = False
) -> bytes:
    """The case drawn on A4 pages the way WPS/Word exporters draw it: text placed line by line in an
    embedded TrueType font, tables as ruling lines. `rules`: "grid" (every cell border), "horizontal"
    (row rules only, drawn cell by cell as Word does), "long" (row rules only, one line across the table
    as LibreOffice draws them), "odd" (cell borders drawn side by side, one in forty left or top
    sides missing; "odd12": one in twelve), "vertical" (column lines only, cell by cell), "frame"
    (the table's outer frame only), "three" (a 三线表: a rule above the table, one under its header
    rows and one below it), "none" (no lines). `gap` > 0 draws each table row as its own
    one-row table, `gap` points below the one above. A table's `breaks` start new pages; a merged cell
    that a break cuts prints the first part of its lines above the break and the rest below.
    `repeat_header`: table 三's three header rows printed again at the top of each page it runs onto,
    as Word prints a table whose header rows are marked 重复标题行."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        if not os.path.exists(WQY):
            import pytest

            pytest.skip(
                f"the CJK TrueType font {WQY} is not installed (`make system-deps`: fonts-wqy-microhei)"
            )
        pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=True)
    state = {"y": TOP, "page": 1}

    def new_page() -> None:
        c.setFont("WQY", 10)
        c.drawCentredString(PAGE_W / 2, 40, f"- {state['page']} -")
        c.showPage()
        state["page"] += 1
        state["y"] = TOP

    def text_at(x: float, y_top: float, text: str, size: float) -> None:
        c.setFont("WQY", size)
        c.drawString(x, PAGE_H - y_top - size, text)

    def para(p: Para) -> None:
        size = 18.0 if p.style == "title" else 12.0
        width = RIGHT - LEFT
        per_line = int(width // size)
        indent = 0 if p.style in ("title", "caption") else 2
        text = "　" * indent + p.text
        lines = [text[i : i + per_line] for i in range(0, len(text), per_line)] or [""]
        for line in lines:
            if state["y"] + size * 1.6 > BOTTOM:
                new_page()
            if p.style == "title":
                c.setFont("WQY", size)
                c.drawCentredString(PAGE_W / 2, PAGE_H - state["y"] - size, line)
            else:
                text_at(LEFT, state["y"], line, size)
            state["y"] += size * 1.6

    def table(t: Table) -> None:
        total = sum(t.widths)
        xs = [LEFT]
        for w in t.widths:
            xs.append(xs[-1] + (RIGHT - LEFT) * w / total)
        size, lead, pad = 9.0, 11.5, 3.0
        pieces = t.pieces()
        k = 0
        while k < len(pieces):
            piece = pieces[k]
            if k and repeat_header and t.kind == "applications" and not getattr(piece, "headed", False):
                piece = Table(
                    piece.kind, [list(r) for r in t.rows[:3]] + piece.rows, piece.ncols, piece.widths
                )
                piece.headed = True  # type: ignore[attr-defined]
                piece.overflow = getattr(pieces[k], "overflow", False)  # type: ignore[attr-defined]
                pieces[k] = piece
            if k and not getattr(piece, "overflow", False):
                new_page()
            k += 1
            placed = piece.placed()
            fitted = {
                id(cell): fit(cell.text, xs[col + cell.colspan] - xs[col] - 2 * pad, size)
                for _r, col, cell in placed
            }
            heights = [lead + 2 * pad] * len(piece.rows)
            for r, _col, cell in placed:
                if cell.rowspan == 1:
                    heights[r] = max(heights[r], len(fitted[id(cell)]) * lead + 2 * pad)
            # A merged cell needs its lines to fit the rows it spans.
            for r, _col, cell in placed:
                need = len(fitted[id(cell)]) * lead + 2 * pad
                have = sum(heights[r : r + cell.rowspan])
                if need > have:
                    heights[r + cell.rowspan - 1] += need - have
            if state["y"] + sum(heights) + gap * len(heights) > BOTTOM:
                # A table longer than the page left: rows that fit here, the rest on the next page.
                room, fits = BOTTOM - state["y"], 0
                while fits < len(heights) and sum(heights[: fits + 1]) + gap * (fits + 1) <= room:
                    fits += 1
                if fits and (fits >= 3 or state["y"] > TOP) and fits < len(heights):
                    head, rest = piece.split(fits)
                    rest.overflow = True  # type: ignore[attr-defined]
                    pieces[k - 1 : k] = [head, rest]
                    k -= 1
                    continue
                if state["y"] > TOP:
                    new_page()
                    k -= 1
                    continue
            ys = [state["y"]]
            for r, hgt in enumerate(heights):
                ys.append(ys[-1] + hgt + (gap if gap and r < len(heights) - 1 else 0))
            for r, col, cell in placed:
                x0, x1 = xs[col], xs[col + cell.colspan]
                y0 = ys[r]
                y1 = ys[r + cell.rowspan] - (gap if gap and r + cell.rowspan < len(heights) else 0)
                lines = fitted[id(cell)] if cell.text else []
                block = len(lines) * lead
                top = y0 + (y1 - y0 - block) / 2
                for i, line in enumerate(lines):
                    width = pdfmetrics.stringWidth(line, "WQY", size)
                    x = x0 + pad if cell.align == "left" else (x0 + x1 - width) / 2
                    text_at(x, top + i * lead + (lead - size) / 2, line, size)
                c.setLineWidth(0.5)
                if rules == "grid":
                    c.rect(x0, PAGE_H - y1, x1 - x0, y1 - y0)
                elif rules in ("odd", "odd12"):
                    # Borders drawn side by side, one in forty (or twelve) left or top sides missing
                    # (cells whose borders an author set to none): the grid merges those cells.
                    odd = random.Random(f"{state['page']}:{r}:{col}")
                    rate = 1 / 12 if rules == "odd12" else 1 / 40
                    if odd.random() > rate or col == 0:
                        c.line(x0, PAGE_H - y0, x0, PAGE_H - y1)
                    if odd.random() > rate or r == 0:
                        c.line(x0, PAGE_H - y0, x1, PAGE_H - y0)
                    if col + cell.colspan == piece.ncols:
                        c.line(x1, PAGE_H - y0, x1, PAGE_H - y1)
                    if r + cell.rowspan == len(heights):
                        c.line(x0, PAGE_H - y1, x1, PAGE_H - y1)
                elif rules == "horizontal":
                    c.line(x0, PAGE_H - y0, x1, PAGE_H - y0)
                    c.line(x0, PAGE_H - y1, x1, PAGE_H - y1)
                elif rules == "vertical":
                    c.line(x0, PAGE_H - y0, x0, PAGE_H - y1)
                    c.line(x1, PAGE_H - y0, x1, PAGE_H - y1)
            if rules == "frame":
                c.rect(xs[0], PAGE_H - ys[-1], xs[-1] - xs[0], ys[-1] - ys[0])
            elif rules == "three":
                # The header rows are those above the first row that prints anything but headings.
                head = next((r for r, row in enumerate(piece.rows) if any(not x.header for x in row)), 0)
                for y in dict.fromkeys((ys[0], ys[head], ys[-1])):
                    c.setLineWidth(0.5 if y == ys[head] and head else 1.0)
                    c.line(xs[0], PAGE_H - y, xs[-1], PAGE_H - y)
            if rules == "long":
                # Row rules as LibreOffice draws them: one line across the table at each row boundary,
                # broken only where a merged cell goes on below it.
                grid = piece.cell_grid()
                for r in range(len(heights) + 1):
                    y = ys[r] if r < len(heights) else ys[-1]
                    runs: list[list[float]] = []
                    for col in range(piece.ncols):
                        above = grid[r - 1][col] if 0 < r <= len(grid) else None
                        below = grid[r][col] if r < len(grid) else None
                        if above is not None and above is below:
                            continue  # inside a merged cell
                        if runs and abs(runs[-1][1] - xs[col]) < 0.01:
                            runs[-1][1] = xs[col + 1]
                        else:
                            runs.append([xs[col], xs[col + 1]])
                    for a, b in runs:
                        c.line(a, PAGE_H - y, b, PAGE_H - y)
            state["y"] = ys[-1] + 8
            if k < len(pieces) and getattr(pieces[k], "overflow", False):
                new_page()

    for block in case.blocks:
        if isinstance(block, Para):
            para(block)
        else:
            table(block)
    c.setFont("WQY", 10)
    c.drawCentredString(PAGE_W / 2, 40, f"- {state['page']} -")
    c.showPage()
    c.save()
    return buf.getvalue()


def fit(text: str, width: float, size: float) -> list[str]:
    """A cell's lines broken to its width as Word breaks CJK text (anywhere, numbers kept whole)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out: list[str] = []
    for line in text.split("\n"):
        start = 0
        while True:
            end = start + 1
            while end < len(line) and stringWidth(line[start : end + 1], "WQY", size) <= width:
                end += 1
            cut = end
            while start + 1 < cut < len(line) and line[cut - 1].isdigit() and line[cut].isdigit():
                cut -= 1
            end = cut if cut > start + 1 else end
            out.append(line[start:end])
            start = end
            if start >= len(line):
                break
    return out


def docx(case: Case) -> bytes:
    return render_printed_docx(case.printed())


def html(case: Case) -> bytes:
    """The page as the site publishes it: the Shanghai markup for the Shanghai case, a TRS editor's
    Word paste (mirror.reports' "trs" style) inside a TRS detail page for the others."""
    if case.name.startswith("shanghai"):
        return shanghai_html(case)
    pr = case.printed()
    pr.style = {"html": "trs"}
    if case.title_in_page_only:
        pr.blocks = [b for b in pr.blocks if not (isinstance(b, Para) and b.style == "title")]
    body = render_printed_html(pr, 7)
    title = htmlmod.escape(case.title)
    page = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_门户网站</title>'
        f'<meta name="ArticleTitle" content="{title}"></head><body><div class="header">门户网站</div><div class="TRS_UEDITOR trs_paper_default">'
        f'{body}</div><div class="footer">版权所有</div></body></html>'
    )
    return page.encode("utf-8")


def soffice_pdf(docx_bytes: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.docx"
        src.write_bytes(docx_bytes)
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", "pdf", "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        return (Path(tmp) / "in.pdf").read_bytes()


CASES = {
    "shanghai_2019": shanghai_2019,
    "jiangsu_2024": jiangsu_2024,
    "shanghai_kw_2024": shanghai_kw_2024,
    "fujian_2015": fujian_2015,
    "national_2019_old_style": national_2019_old_style,
    "national_code_2012": national_code_2012,
}


def build(names: list[str]) -> None:
    """Write the Word PDFs (LibreOffice's export of each case's DOCX) under inputs/real/."""
    INPUTS.mkdir(parents=True, exist_ok=True)
    for name, make in CASES.items():
        if names and name not in names:
            continue
        (INPUTS / f"{name}_word.pdf").write_bytes(soffice_pdf(docx(make())))
        print(f"wrote {name}_word.pdf")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    build(sys.argv[1:])
