"""Variants met when the parser was scored on real published reports (kept outside the repository), each
rebuilt here as a small synthetic report with our own agency names and numbers.

Expectations are what each synthetic report prints, read off the text below, never the parser's output.
"""

from __future__ import annotations

from parsers import parse


def _html(body: str) -> bytes:
    return f'<html><head><meta charset="utf-8"></head><body><div class="TRS_Editor">{body}</div></body></html>'.encode()


def _table(rows: list[tuple[str, ...]]) -> str:
    return (
        "<table>"
        + "".join("<tr>" + "".join(f"<td><p>{c}</p></td>" for c in r) + "</tr>" for r in rows)
        + "</table>"
    )


# A Fujian-style 统计表 whose value column is headed by the year (`2016年度`) instead of 本年度.
FUJIAN_YEAR_HEADED = _html(
    "<p>某综合试验区2016年度</p><p>政府信息公开工作年度报告</p>"
    "<p>本报告所列数据的统计期限自2016年1月1日起至2016年12月31日止。</p>"
    "<p>一、概述</p><p>全年主动公开政府信息345条。</p>"
    "<p>六、政府信息公开情况统计表</p>"
    + _table(
        [
            ("指标名称", "计量单位", "2016年度", "历年累计"),
            ("主动公开文件数", "条", "345", "4321"),
            ("其中：1.政府网站公开数", "条", "340", "4300"),
            ("受理依申请公开信息总数", "条", "7", "52"),
            ("行政复议数", "件", "1", "3"),
        ]
    )
)


def test_t2008_value_column_headed_by_the_year_is_the_years_value():
    doc = parse(FUJIAN_YEAR_HEADED)
    assert doc.template == "T2008" and doc.year == 2016
    f = {(x.row, x.col): x.value for x in doc.facts if x.table == "legacy_stats"}
    assert f[("active.total", "value")] == 345
    assert f[("active.total", "cumulative")] == 4321
    assert f[("active.channel.website", "value")] == 340
    assert f[("active.channel.website", "cumulative")] == 4300
    assert f[("requests.received", "value")] == 7
    assert f[("requests.received", "cumulative")] == 52
    assert f[("review.total", "value")] == 1 and f[("review.total", "cumulative")] == 3


def test_t2008_all_years_cumulative_is_never_read_as_the_years_value():
    # The value column's header is one the template does not know: its cells are left out (with a
    # warning), and 历年累计 stays the cumulative, not the year's value.
    doc = parse(
        _html(
            "<p>某县审计局2016年政府信息公开工作年度报告</p><p>一、概述</p><p>略。</p>"
            + _table(
                [
                    ("指标名称", "计量单位", "甲栏", "历年累计"),
                    ("主动公开文件数", "条", "12", "98"),
                    ("受理依申请公开信息总数", "条", "2", "9"),
                ]
            )
        )
    )
    f = {(x.row, x.col): x.value for x in doc.facts if x.table == "legacy_stats"}
    assert ("active.total", "value") not in f and ("requests.received", "value") not in f
    assert f[("active.total", "cumulative")] == 98 and f[("requests.received", "cumulative")] == 9
    assert any("甲栏" in w for w in doc.warnings)


def test_a_label_line_above_a_title_that_starts_with_its_year_is_no_part_of_it():
    text = (
        "正文\n2023 年某市人民政府办公室政府信息公开\n工作年度报告\n"
        "本年度报告中所列数据统计期限为 2023 年 1 月 1 日至 12 月 31 日。\n一、总体情况\n略。\n"
    )
    doc = parse(text.encode())
    assert doc.agency == "某市人民政府办公室"
    assert doc.title == "2023年某市人民政府办公室政府信息公开工作年度报告"
    assert doc.year == 2023


def test_an_agency_line_above_a_title_that_starts_with_its_year_stays_in_it():
    text = (
        "某市统计局\n2023年政府信息公开工作年度报告\n"
        "本年度报告中所列数据统计期限为2023年1月1日至12月31日。\n一、总体情况\n略。\n"
    )
    doc = parse(text.encode())
    assert doc.agency == "某市统计局"
    assert doc.title == "某市统计局2023年政府信息公开工作年度报告"


def _app_row(label: str, *values: int) -> tuple[str, ...]:
    return (label, *(str(v) for v in values))


def test_results_sum_is_not_checked_when_a_result_row_was_left_out():
    # 部分公开's label is not printed in its row (a broken conversion): that row cannot be read, so the
    # sum of the result rows would miss it and look broken while the report's own sums hold.
    header = [
        (
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            "申请人情况",
            "",
            "",
            "",
            "",
            "",
        ),
        ("", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"),
    ]
    rows = [
        _app_row("一、本年新收政府信息公开申请数量", 10, 1, 0, 0, 0, 0, 11),
        _app_row("二、上年结转政府信息公开申请数量", 0, 0, 0, 0, 0, 0, 0),
        _app_row("（一）予以公开", 4, 1, 0, 0, 0, 0, 5),
        _app_row("", 2, 0, 0, 0, 0, 0, 2),  # （二）部分公开, its label lost
    ]
    leaves = [
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4.保护第三方合法权益",
        "5.属于三类内部事务信息",
        "6.属于四类过程性信息",
        "7.属于行政执法案卷",
        "8.属于行政查询事项",
        "1.本机关不掌握相关政府信息",
        "2.没有现成信息需要另行制作",
        "3.补正后申请内容仍不明确",
        "1.信访举报投诉类申请",
        "2.重复申请",
        "3.要求提供公开出版物",
        "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
    ]
    rows += [_app_row(label, 0, 0, 0, 0, 0, 0, 0) for label in leaves]
    rows += [
        _app_row("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 0, 0, 0, 0, 0, 0, 0),
        _app_row(
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 0, 0, 0, 0, 0, 0, 0
        ),
        _app_row("3.其他", 4, 0, 0, 0, 0, 0, 4),
        _app_row("（七）总计", 10, 1, 0, 0, 0, 0, 11),
        _app_row("四、结转下年度继续办理", 0, 0, 0, 0, 0, 0, 0),
    ]
    doc = parse(
        _html(
            "<p>某区民政局2023年政府信息公开工作年度报告</p><p>一、总体情况</p><p>略。</p>"
            "<p>三、收到和处理政府信息公开申请情况</p>" + _table(header + rows)
        )
    )
    assert doc.fact("applications", "granted", "total").value == 5
    assert doc.fact("applications", "other.other", "natural_person").value == 4
    assert doc.fact("applications", "partially_granted", "natural_person") is None
    sums = [c for c in doc.checks if c.rule == "applications.results_sum"]
    assert sums == [], sums
    balance = {c.where: c.ok for c in doc.checks if c.rule == "applications.balance"}
    assert balance and all(balance.values())
