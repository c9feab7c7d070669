"""The table interpreters on the variants real reports print (templates.md §4.8), one test per variant.

Each test builds a small report in a text or HTML form, parses it with parse() and checks the cells it
must read, and what it must leave out (with a warning) rather than guess.
"""

from __future__ import annotations

from parsers import parse
from parsers.templates.flat import split_rows

TITLE = "某区科学技术局{year}年政府信息公开工作年度报告\n本报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。\n"
HEAD3 = (
    "三、收到和处理政府信息公开申请情况\n\n"
    "\t（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n\t申请人情况\n\n"
    "\t\n\t自然人\n\t法人或其他组织\n\t总计\n\n"
    "\t\n\t\n\t商业企业\n\t科研机构\n\t社会公益组织\n\t法律服务机构\n\t其他\n\t\n\n"
)
COLS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")


def cells_row(*cells) -> str:
    """One row in the seeds' text style (a cell per tab line, rows separated by a blank line)."""
    return "".join(f"\t{c}\n" for c in cells) + "\n"


def report(body: str, year: int = 2021) -> bytes:
    return (TITLE.format(year=year) + body).encode("utf-8")


def row_values(doc, key):
    return [doc.fact("applications", key, c).value if doc.fact("applications", key, c) else "-" for c in COLS]


def test_t2021_report_printing_other_as_one_row():
    body = (
        HEAD3
        + cells_row("（六）其他处理", 1, 0, 0, 0, 0, 0, 1)
        + cells_row("（七）总计", 1, 0, 0, 0, 0, 0, 1)
    )
    doc = parse(report(body + "\n\n本年度报告。\n" + "第二十条第（一）项 本年制发件数\n"))
    assert doc.template == "T2021"
    assert row_values(doc, "other") == [1, 0, 0, 0, 0, 0, 1]
    assert doc.fact("applications", "other.other", "total") is None


def test_group_label_split_over_a_page_break_and_alternative_numbering():
    # "（四）无" at the foot of one page, "法提供" on the next; items numbered 1、 2、.
    body = (
        HEAD3
        + cells_row("", "（四）无", "1、本机关不掌握相关政府信息", 4, 0, 0, 0, 0, 0, 4)
        + "\n- 7 -\n\n"
        + cells_row("", "法提供", "2、没有现成信息需要另行制作", 1, 0, 0, 0, 0, 0, 1)
        + cells_row("", "", "3、补正后申请内容仍不明确", 0, 0, 0, 0, 0, 0, 0)
        + cells_row("", "", "小计", 5, 0, 0, 0, 0, 0, 5)
    )
    doc = parse(report(body))
    assert row_values(doc, "unable.not_held") == [4, 0, 0, 0, 0, 0, 4]
    assert row_values(doc, "unable.needs_creation") == [1, 0, 0, 0, 0, 0, 1]
    assert row_values(doc, "unable.unclear") == [0] * 7
    assert row_values(doc, "unable") == [5, 0, 0, 0, 0, 0, 5]  # the 小计 row of the group
    assert all(c.ok for c in doc.checks if c.rule == "applications.group_subtotal")


def test_label_typo_within_a_group():
    body = HEAD3 + cells_row("（三）不予公开", "2.其他法律行政止公开", 1, 0, 0, 0, 0, 0, 1)
    doc = parse(report(body))
    assert row_values(doc, "denied.prohibited_by_law") == [1, 0, 0, 0, 0, 0, 1]
    assert any("其他法律行政止公开" in w for w in doc.warnings)


def test_unknown_row_is_warned_about_not_dropped_silently():
    body = HEAD3 + cells_row("（八）转交其他机关办理", 2, 0, 0, 0, 0, 0, 2)
    doc = parse(report(body))
    assert not any(f.table == "applications" and f.value == 2 for f in doc.facts)
    assert any("转交其他机关办理" in w and "not a row of the template" in w for w in doc.warnings)


def test_eight_values_without_a_header_placed_by_the_sums():
    # No header: the 法人或其他组织 subtotal is the second value, since it is the one equal to the five after it.
    body = "三、收到和处理政府信息公开申请情况\n\n" + cells_row(
        "一、本年新收政府信息公开申请数量", 3, 4, 1, 2, 0, 0, 1, 7
    )
    body += cells_row("（一）予以公开", 2, 2, 1, 0, 0, 0, 1, 4)
    doc = parse(report(body))
    assert doc.fact("applications", "new_received", "legal_person").value == 4
    assert doc.fact("applications", "new_received", "commercial").value == 1
    assert doc.fact("applications", "granted", "other_org").value == 1


def test_eight_values_that_the_sums_cannot_place_are_left_out():
    body = "三、收到和处理政府信息公开申请情况\n\n" + cells_row(
        "一、本年新收政府信息公开申请数量", 1, 1, 0, 0, 0, 0, 1, 2
    )
    doc = parse(report(body))
    assert doc.fact("applications", "new_received", "natural_person").value == 1
    assert doc.fact("applications", "new_received", "total").value == 2
    assert doc.fact("applications", "new_received", "commercial") is None
    assert any("法人或其他组织" in w for w in doc.warnings)


def test_annotations_yuan_amounts_and_negative_change():
    body = (
        "二、主动公开政府信息情况\n\n"
        + cells_row("第二十条第（一）项")
        + cells_row("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量")
        + cells_row("规范性文件", "22（其中修订16件）", 20, 300)
        + cells_row("第二十条第（八）项")
        + cells_row("信息内容", "上一年项目数量", "本年增/减")
        + cells_row("行政事业性收费", 35, -15)
        + cells_row("第二十条第（九）项")
        + cells_row("信息内容", "采购项目数量", "采购总金额")
        + cells_row("政府集中采购", 3, "75394432.52元")
    )
    doc = parse(report(body, 2019))
    assert doc.template == "T2019"
    made = doc.fact("active_disclosure", "normative_documents", "made")
    assert made.value == 22 and made.raw == "22（其中修订16件）"
    assert doc.fact("active_disclosure", "fees", "change").value == -15
    amount = doc.fact("active_disclosure", "procurement", "amount")
    assert amount.value == 7539.443252 and amount.raw == "75394432.52元"
    assert any("元" in w and "converted" in w for w in doc.warnings)


def test_a_cell_with_digits_of_two_cells_is_left_out_with_a_warning():
    body = (
        "二、主动公开政府信息情况\n\n"
        + cells_row("信息内容", "上一年项目数量", "本年增/减", "处理决定数量")
        + cells_row("行政强制", "", "10 1", "0880（其中新增4386项）")
    )
    doc = parse(report(body, 2019) + "对外公开总数量\n".encode())
    assert doc.fact("active_disclosure", "coercion", "prev_items").value is None
    assert doc.fact("active_disclosure", "coercion", "change") is None
    assert doc.fact("active_disclosure", "coercion", "decisions") is None
    assert sum("not a number" in w for w in doc.warnings) == 2


def test_review_litigation_header_order_and_blank_total():
    body = (
        "四、政府信息公开行政复议、行政诉讼情况\n\n"
        + cells_row("行政复议", "行政诉讼")
        + cells_row("结果维持", "结果纠正", "其他结果", "尚未审结", "总 计", "未经复议直接起诉", "复议后起诉")
        + cells_row("", "", "", "", "", *(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2))
        + cells_row(1, 2, 0, 0, "", 0, 0, 0, 1, 1, 3, 0, 0, 0, 0)
    )
    doc = parse(report(body) + "本年制发件数\n".encode())
    f = {(x.row, x.col): x.value for x in doc.facts if x.table == "review_litigation"}
    assert f[("review", "upheld")] == 1 and f[("review", "corrected")] == 2
    assert f[("review", "total")] is None  # blank 总计: a fact with no value
    assert f[("litigation_direct", "pending")] == 1 and f[("litigation_after_review", "upheld")] == 3
    checks = {c.where: c.ok for c in doc.checks if c.rule == "review_litigation.row_total"}
    assert "review" not in checks  # a blank total is not checked
    assert checks["litigation_after_review"] is False  # 3 printed parts, 总计 0: reported as printed


def test_flattened_text_rows_and_digit_runs():
    lines = [
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容 本年制发件数 本年废止件数 现行有效件数",
        "规章000",
        "行政规范性文件 3 1 20",
        "三、收到和处理政府信息公开申请情况",
        "自然人 法人或其他组织 总计",
        "一、本年新收政府信息公开申请数量 10 1 0 0 1 0 12",
        "（七）总计",
        "10",
        "1",
        "0",
        "0",
        "1",
        "0",
        "12",
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 行政诉讼",
        "21317000001324019",
        "五、存在的主要问题及改进情况",
        "问题略。",
    ]
    doc = parse(report("\n".join(lines) + "\n"))
    assert [doc.fact("active_disclosure", "rules", c).value for c in ("issued", "repealed", "in_force")] == [
        0,
        0,
        0,
    ]
    assert doc.fact("active_disclosure", "normative_documents", "in_force").value == 20
    assert row_values(doc, "new_received") == [10, 1, 0, 0, 1, 0, 12]
    assert row_values(doc, "total_processed") == [10, 1, 0, 0, 1, 0, 12]
    review = [
        doc.fact("review_litigation", g, "total").value
        for g in ("review", "litigation_direct", "litigation_after_review")
    ]
    assert review == [7, 0, 19]
    assert any("digit run '21317000001324019'" in w for w in doc.warnings)
    assert [s.number for s in doc.sections if s.number] == ["二", "三", "四", "五"]


def test_flattened_rows_run_together_on_one_line_are_cut_apart():
    """A PDF table printed without rules whose lines were joined: each row keeps its own values (not the
    values of the row run on after it), a heading glued to the last number starts its own line, and a
    sentence is never cut."""
    lines = [
        "二、主动公开政府信息情况",
        "信息内容 本年制发件数 本年废止件数 现行有效件数",
        "规章 0 0 0",
        "行政规范性文件 37 8 5第二十条第（五）项",
        "三、收到和处理政府信息公开申请情况",
        "自然人 法人或其他组织 总计",
        "一、本年新收政府信息公开申请数量 55 4 1 0 0 0 60二、上年结转政府信息公开申请数量 0 0 0 0 1 0 1",
        "（七）总计 48 4 1 0 1 0 54四、结转下年度继续办理 7 0 0 0 0 0 7",
        "五、存在的主要问题及改进情况",
        "本年共收到申请 60 件，其中 55 件来自自然人。",
    ]
    doc = parse(report("\n".join(lines) + "\n"))
    assert row_values(doc, "new_received") == [55, 4, 1, 0, 0, 0, 60]
    assert row_values(doc, "carried_over") == [0, 0, 0, 0, 1, 0, 1]
    assert row_values(doc, "total_processed") == [48, 4, 1, 0, 1, 0, 54]
    assert row_values(doc, "carried_forward") == [7, 0, 0, 0, 0, 0, 7]
    assert doc.fact("active_disclosure", "normative_documents", "in_force").value == 5


def test_flattened_rows_whose_blank_cells_cannot_be_told_are_left_out():
    """Lines of a PDF table printed without rules, where blank cells left no trace: values are read only
    where their column is certain, never by their order alone."""
    table2 = (
        "二、主动公开政府信息情况\n\n"
        # 上一年项目数量 run into the section label above it: the header names two columns of three.
        + cells_row("信息内容", "第二十条第（五）项上一年项目数量", "本年增/减", "处理决定数量")
        + cells_row("行政许可", 26, -22)
    )
    table3 = (
        "三、收到和处理政府信息公开申请情况\n\n"
        + cells_row("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "小计", "总计")
        + "一、本年新收政府信息公开申请数量 2 1 0 0 1 6 8\n"  # 总计 left blank: 7 values, 8 columns
        + "四、政府信息公开行政复议、行政诉讼情况\n"
    )
    doc = parse(report(table2 + table3, 2020))
    assert doc.template == "T2019"
    # 26 is 上一年项目数量 and -22 本年增/减 (处理决定数量 blank), or -22 the decisions: not told.
    assert [f for f in doc.facts if f.row == "licensing"] == []
    assert any("licensing" in w and "cannot be placed by their order" in w for w in doc.warnings)
    assert row_values(doc, "new_received") == ["-"] * 7
    assert any("小计 included" in w for w in doc.warnings)
    # 116: one value with two cells blank, or 1 1 6 run together (no header to go by here).
    doc = parse(report("二、主动公开政府信息情况\n行政强制 116\n" + table3, 2020))
    assert [f for f in doc.facts if f.row == "coercion"] == []
    assert any("coercion" in w and "'116'" in w for w in doc.warnings)


def test_a_digit_run_the_sums_cannot_cut_is_left_out():
    lines = [
        "二、主动公开政府信息情况",
        "信息内容 本年制发件数 本年废止件数 现行有效件数",
        "行政规范性文件6233440",
    ]
    doc = parse(report("\n".join(lines) + "\n"))
    assert doc.fact("active_disclosure", "normative_documents", "issued") is None
    assert any("6233440" in w and "15 ways" in w for w in doc.warnings)


FUJIAN = (
    "平潭综合实验区管委会2015年政府信息公开工作年度报告\n"
    "一、概述\n本报告统计期限为2015年1月1日至2015年12月31日。\n"
    "指标名称\t计量单位\t本年度\t历年累计\n"
    "主动公开文件数\t条\t120\t1500\n"
    "其中：1.政府网站公开数\t条\t118\t1450\n"
    "受理依申请公开信息总数\t条\t5\t40\n"
    "其中：1.当面申请数\t条\t1\t10\n"
    "2.网上申请数\t条\t3\t20\n"
    "3.信函、传真申请数\t条\t1\t10\n"
    "对申请的答复总数\t条\t5\t40\n"
    "行政复议数\t件\t0\t1\n"
)


def test_t2008_fujian_with_cumulative_column():
    doc = parse(FUJIAN.encode())
    assert doc.template == "T2008" and doc.year == 2015
    f = {(x.row, x.col): x for x in doc.facts}
    assert f[("active.total", "value")].value == 120 and f[("active.total", "cumulative")].value == 1500
    assert f[("active.channel.website", "value")].value == 118
    assert f[("requests.received.online", "cumulative")].value == 20
    assert f[("label:3.信函、传真申请数", "value")].value == 1
    assert f[("review.total", "cumulative")].value == 1
    assert f[("requests.received", "value")].unit == "条"
    sums = {c.where: (c.ok, c.expected, c.actual) for c in doc.checks if c.rule == "legacy_stats.sums"}
    assert sums["requests.received"] == (True, 5, 5)
    assert sums["requests.received:cumulative"] == (True, 40, 40)


def test_t2008_national_report_form_with_code_column():
    text = (
        "某县政府信息公开工作年度报告（2012年度）\n一、概述\n本报告统计期限为2012年1月1日至2012年12月31日。\n"
        "指标名称\t计量单位\t代码\t本期实际\t本年累计\n甲\t乙\t丙\t1\t2\n"
        "主动公开信息数\t条\t01\t35\t350\n"
        "申请总数\t条\t10\t4\t9\n"
        "行政复议数\t件\t32\t0\t0\n"
    )
    doc = parse(text.encode())
    f = {(x.row, x.col): x.value for x in doc.facts}
    assert f[("review.total", "value")] == 0
    assert f[("label:申请总数", "value")] == 4 and f[("label:申请总数", "cumulative")] == 9
    assert f[("label:主动公开信息数", "value")] == 35
    assert not any(x.value == 1 and x.row.startswith("label:甲") for x in doc.facts)


def test_t2008_rows_flattened_into_text_keep_units():
    text = (
        "某局2016年政府信息公开工作年度报告\n一、概述\n略。\n统计指标 单位 统计数\n"
        "一、主动公开情况 — 139\n（一）主动公开政府信息数 条 28\n（一）收到申请书 — 0\n1.当面申请数 件 0\n"
    )
    doc = parse(text.encode())
    f = {x.row: x for x in doc.facts}
    assert f["active.total"].value == 28 and f["active.total"].unit == "条"
    assert f["label:一、主动公开情况"].value == 139 and f["label:一、主动公开情况"].unit is None
    assert f["requests.received"].value == 0 and f["requests.received"].unit is None
    assert f["requests.received.in_person"].unit == "件"


def test_t2008_lines_of_a_borderless_pdf_table_never_misplace_a_value():
    """A 统计表 printed without rules, as its lines come out of a PDF: a label split over two lines around
    its `条 0`, a row of a part continued overleaf whose header (本年度 | 历年累计) was not read with it,
    and two rows run together on one line."""
    text = (
        "某局2016年政府信息公开工作年度报告\n一、概述\n略。\n统计指标 单位 统计数\n"
        "（一）主动公开政府信息数 条 28\n"
        "（二）重点领域公开政府信息数\n"
        "其中：主动公开财政预算决算、“三公经费”和行政经费信息数 条 1\n"
        "主动公开保障性安居工程建设计划、项目开工和竣工情况，保障性住房的分\n条 0\n配和退出等信息数\n"
        "主动公开食品安全标准，食品生产经营许可、专项检查整治等信息数 条 4\n"
    )
    doc = parse(text.encode())
    f = {(x.row, x.col): x for x in doc.facts if x.table == "legacy_stats"}
    assert f[("active.total", "value")].value == 28
    assert f[("active.key_areas.1", "value")].value == 1
    assert ("active.key_areas.2", "value") not in f  # its `条 0` stood between the halves of its label
    assert any("only its unit" in w for w in doc.warnings)
    assert f[("active.key_areas.3", "value")].value == 4  # the numbering of the key areas kept its place
    assert not any(k.startswith("label:") for k, _ in f)

    # A row with one value more than its header's columns: which is 统计数 cannot be told.
    overleaf = (
        "某局2016年政府信息公开工作年度报告\n一、概述\n略。\n"
        + cells_row("统计指标", "单位", "统计数")
        + cells_row("（一）主动公开政府信息数", "条", 28)
        + cells_row("行政复议数", "件", 0, 11)
    )
    doc = parse(overleaf.encode())
    assert [(x.row, x.value) for x in doc.facts if x.table == "legacy_stats"] == [("active.total", 28)]
    assert any("more values than the columns known" in w for w in doc.warnings)

    glued = (
        "主动公开本市企业信用信息系统中的警示信息和良好信息等信息数 条 5"
        "主动公开政府部门预算执行审计结果等信息数 条 1"
    )
    assert split_rows(glued) == [
        "主动公开本市企业信用信息系统中的警示信息和良好信息等信息数 条 5",
        "主动公开政府部门预算执行审计结果等信息数 条 1",
    ]
    assert split_rows("本年共收到申请 12 件，其中 3 件") == ["本年共收到申请 12 件，其中 3 件"]


def test_eight_values_after_a_blank_spacer_cell():
    # An empty cell between the label and the values (a spacer column): still eight values, placed by
    # the sums (this once crashed: the spacer was counted again when the sums were tried).
    body = "三、收到和处理政府信息公开申请情况\n\n" + cells_row(
        "一、本年新收政府信息公开申请数量", "", 3, 4, 1, 2, 0, 0, 1, 7
    )
    doc = parse(report(body))
    assert doc.fact("applications", "new_received", "legal_person").value == 4
    assert doc.fact("applications", "new_received", "total").value == 7
