"""The HTML reader and parse() on HTML pages: containers, chrome, encodings, rowspan/colspan tables."""

from __future__ import annotations

import pytest

from parsers import parse
from parsers.limits import Deadline, Limits
from parsers.readers import sniff
from parsers.readers.html import read_html

COLS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")

# Table 三 rows of T2021: (label cells as printed with their spans, key).
DENIED = [
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
]
UNABLE = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
NOT_PROCESSED = [
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
]
OTHER = [
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
]


def td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    return f"<td{attrs}><p><span>{text}</span></p></td>"


def table_three(values, *, legal_person: bool = False, blank: str = "0") -> str:
    """The official table 三 markup: merged corner, header spans, rowspan groups. `values(i)` gives row i."""
    n = 8 if legal_person else 7
    orgs = "".join(td(t) for t in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))
    head = (
        f"<tr>{td('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 3, 3)}"
        f"{td('申请人情况', 1, n)}</tr>"
        f"<tr>{td('自然人', 2)}{td('法人或其他组织', 1, 6 if legal_person else 5)}{td('总计', 2)}</tr>"
        f"<tr>{td('小计') if legal_person else ''}{orgs}</tr>"
    )
    rows = []
    i = 0

    def cells() -> str:
        nonlocal i
        vals = values(i)
        i += 1
        return "".join(td(blank if v == "" else str(v)) for v in vals)

    rows.append(f"<tr>{td('一、本年新收政府信息公开申请数量', 1, 3)}{cells()}</tr>")
    rows.append(f"<tr>{td('二、上年结转政府信息公开申请数量', 1, 3)}{cells()}</tr>")
    n_results = 2 + len(DENIED) + len(UNABLE) + len(NOT_PROCESSED) + len(OTHER) + 1
    rows.append(f"<tr>{td('三、本年度办理结果', n_results)}{td('（一）予以公开', 1, 2)}{cells()}</tr>")
    rows.append(f"<tr>{td('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', 1, 2)}{cells()}</tr>")
    for group, items in (
        ("（三）不予公开", DENIED),
        ("（四）无法提供", UNABLE),
        ("（五）不予处理", NOT_PROCESSED),
        ("（六）其他处理", OTHER),
    ):
        for j, item in enumerate(items):
            lead = td(group, len(items)) if j == 0 else ""
            rows.append(f"<tr>{lead}{td(item)}{cells()}</tr>")
    rows.append(f"<tr>{td('（七）总计', 1, 2)}{cells()}</tr>")
    rows.append(f"<tr>{td('四、结转下年度继续办理', 1, 3)}{cells()}</tr>")
    return f'<table border="1">{head}{"".join(rows)}</table>'


ROW_KEYS = (
    ["new_received", "carried_over", "granted", "partially_granted"]
    + [
        f"denied.{k}"
        for k in (
            "state_secret",
            "prohibited_by_law",
            "three_safeties",
            "third_party",
            "internal_affairs",
            "process_info",
            "enforcement_file",
            "query_matter",
        )
    ]
    + [f"unable.{k}" for k in ("not_held", "needs_creation", "unclear")]
    + [f"not_processed.{k}" for k in ("petition", "duplicate", "publication", "excessive", "reconfirm")]
    + [f"other.{k}" for k in ("overdue_correction", "overdue_fee", "other")]
    + ["total_processed", "carried_forward"]
)


def numbers(i: int) -> list[int]:
    """Distinct values per cell so that a column or row mix-up cannot go unnoticed."""
    return [i * 10 + c for c in range(7)]


def page(
    body: str,
    *,
    charset: str = "utf-8",
    container: str = '<div class="view TRS_UEDITOR trs_paper_default">',
    title: str = "北京市科学技术委员会2024年政府信息公开工作年度报告",
) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}">
<meta name="SiteName" content="北京市科学技术委员会"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="2025-01-20 09:30"><meta name="ContentSource" content="北京市科学技术委员会">
<title>{title}_北京市科学技术委员会</title></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; 政府信息公开年报</div>
<div class="article-title"><p>{title}</p></div>
<div class="doc-info">日期:2025-01-20 09:30&nbsp;&nbsp;来源:北京市科学技术委员会</div>
<div id="mainText">{container}{body}</div></div>
<div class="footer">版权所有：北京市科学技术委员会 京ICP备05083305号</div>
</body></html>"""


BODY = (
    "<p>依据《中华人民共和国政府信息公开条例》第五十条规定编制本报告，统计期限自2024年1月1日起至2024年12月31日止。</p>"
    "<p><strong>一、总体情况</strong></p><p>全年受理政府信息公开申请20件。</p>"
    "<p><strong>三、收到和处理政府信息公开申请情况</strong></p>"
)


def test_t2021_table_three_with_spans_every_cell():
    html = page(
        BODY + table_three(numbers) + "<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>"
    )
    doc = parse(html.encode("utf-8"), "text/html; charset=utf-8", "https://kw.beijing.gov.cn/a/t2025.html")
    assert doc.template == "T2021"
    assert doc.year == 2024
    assert doc.agency == "北京市科学技术委员会"
    assert doc.title == "北京市科学技术委员会2024年政府信息公开工作年度报告"
    for i, key in enumerate(ROW_KEYS):
        for c, col in enumerate(COLS):
            fact = doc.fact("applications", key, col)
            assert fact is not None and fact.value == i * 10 + c, (key, col)
    assert sum(1 for f in doc.facts if f.table == "applications") == 25 * 7
    # The chrome (navigation, position line, footer) is not report text.
    text = " ".join(s.text for s in doc.sections)
    assert "京ICP备" not in text and "当前位置" not in text
    assert doc.source.media_type == "text/html"


def test_eight_column_variant_places_legal_person_by_the_header():
    def vals(i: int) -> list[int]:
        orgs = [i, 0, 1, 0, 2]
        return [5, sum(orgs), *orgs, 5 + sum(orgs)]

    doc = parse(page(BODY + table_three(vals, legal_person=True)).encode())
    f = doc.fact("applications", "granted", "legal_person")
    assert f is not None and f.value == 2 + 3
    assert doc.fact("applications", "granted", "commercial").value == 2
    assert doc.fact("applications", "granted", "total").value == 5 + 5
    subtotal_checks = [
        c for c in doc.checks if c.rule == "applications.group_subtotal" and c.where.endswith("legal_person")
    ]
    assert subtotal_checks and all(c.ok for c in subtotal_checks)


def test_blank_cells_are_facts_with_no_value():
    def vals(i: int):
        return ["", 1, "", "", "", "", 1] if i == 0 else [""] * 7

    doc = parse(page(BODY + table_three(vals, blank="&nbsp;")).encode())
    f = doc.fact("applications", "new_received", "natural_person")
    assert f is not None and f.value is None and f.raw == ""
    assert doc.fact("applications", "new_received", "commercial").value == 1


@pytest.mark.parametrize("charset", ["gb2312", "gbk", "gb18030"])
def test_legacy_chinese_encodings_from_the_meta_tag(charset):
    html = page(BODY + table_three(numbers), charset=charset)
    doc = parse(html.encode("gb18030"))
    assert doc.title == "北京市科学技术委员会2024年政府信息公开工作年度报告"
    assert doc.fact("applications", "carried_forward", "total").value == 246
    assert not any("charset" in w for w in doc.warnings)


def test_declared_charset_that_does_not_fit_is_a_warning():
    html = page(BODY + table_three(numbers), charset="gbk")
    doc = parse(html.encode("utf-8"))  # a migrated site: UTF-8 bytes, old GBK meta tag
    assert doc.fact("applications", "granted", "total").value == 26
    assert any("declared charset gbk" in w for w in doc.warnings)


def test_charset_from_the_http_header_wins_over_sniffing():
    html = page(BODY + table_three(numbers), charset="utf-8").replace('<meta charset="utf-8">', "")
    layout = read_html(html.encode("gbk"), Limits(), Deadline(10), media_type="text/html; charset=GBK")
    assert layout.meta["encoding"] == "gb18030"
    assert any("总体情况" in getattr(b, "text", "") for b in layout.blocks)


def test_hanweb_zoom_inside_a_layout_table():
    body = (
        '<table width="100%"><tr><td class="title">北京市科学技术委员会2019年政府信息公开工作年度报告</td></tr>'
        "<tr><td>发布时间:2020年03月28日 来源:北京市科委 字体:【大】【中】【小】</td></tr>"
        '<tr><td class="bt_content"><div id="zoom"><meta name="ContentStart">'
        "<p>一、总体情况</p><p>2019年，我委收到申请5件。</p>"
        "<p>二、主动公开政府信息情况</p>"
        "<table><tr><td colspan=4>第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td><td>对外公开总数量</td></tr>"
        "<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>"
        "<tr><td>规范性文件</td><td>3</td><td>2</td><td>41</td></tr>"
        "<tr><td colspan=4>第二十条第（九）项</td></tr>"
        "<tr><td>信息内容</td><td colspan=2>采购项目数量</td><td>采购总金额</td></tr>"
        "<tr><td>政府集中采购</td><td colspan=2>12</td><td>251000元</td></tr></table>"
        '<meta name="ContentEnd"></div></td></tr></table>'
    )
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
        '<meta name="ArticleTitle" content="北京市科学技术委员会2019年政府信息公开工作年度报告">'
        f"<title>北京市科学技术委员会 政府信息公开年报</title></head><body>{body}</body></html>"
    )
    doc = parse(html.encode())
    assert doc.template == "T2019"
    assert doc.year == 2019
    assert doc.fact("active_disclosure", "normative_documents", "total_published").value == 41
    assert doc.fact("active_disclosure", "procurement", "items").value == 12
    amount = doc.fact("active_disclosure", "procurement", "amount")
    assert amount.value == 25.1 and amount.raw == "251000元"
    assert any("converted to 25.1 万元" in w for w in doc.warnings)
    assert "发布时间" not in " ".join(s.text for s in doc.sections)


def test_rowspan_colspan_grid_positions():
    html = "<div id='zoom'><table><tr><td rowspan=2>a</td><td colspan=2>b</td></tr><tr><td>c</td><td>d</td></tr></table></div>"
    layout = read_html(html.encode(), Limits(), Deadline(10))
    (table,) = layout.tables()
    assert [(c.text, c.row, c.col, c.rowspan, c.colspan) for c in table.cells] == [
        ("a", 0, 0, 2, 1),
        ("b", 0, 1, 1, 2),
        ("c", 1, 1, 1, 1),
        ("d", 1, 2, 1, 1),
    ]


def test_ucap_content_container_and_meta_tags():
    html = (
        '<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="金凤区科技局2018年政府信息公开工作年度报告">'
        '<meta name="PubDate" content="2019-01-28 10:00"></head><body><div class="menu">网站首页 政务公开 联系我们</div>'
        '<div id="UCAP-CONTENT"><p>根据条例编制本报告。本报告所列数据统计期限为2018年1月1日至2018年12月31日。</p>'
        "<p>一、概述</p><p>略。</p></div></body></html>"
    )
    layout = read_html(html.encode(), Limits(), Deadline(10))
    assert layout.meta["PubDate"] == "2019-01-28 10:00"
    assert layout.title == "金凤区科技局2018年政府信息公开工作年度报告"
    assert "网站首页" not in layout.text()
    doc = parse(html.encode())
    assert (doc.agency, doc.year, doc.template) == ("金凤区科技局", 2018, None)
    assert [s.heading for s in doc.sections if s.number] == ["概述"]


def test_sniffing_is_by_content():
    assert sniff(b"<html><body><p>x</p></body></html>", "application/octet-stream", "a.pdf") == "html"
    assert sniff("一、总体情况\n本报告。".encode(), "text/html", "a.html") == "text"
    assert sniff(b"%PDF-1.7\n...", "text/html", "a.html") == "pdf"
