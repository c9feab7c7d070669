"""Title, agency and statistical year: the variants titles and 统计期限 sentences come in."""

from __future__ import annotations

import pytest

from parsers.layout import Cell, Layout, Paragraph, Table
from parsers.metadata import agency_from_title, read_metadata, year_from_period, year_from_title


def layout(*lines: str, title: str | None = None, meta: dict | None = None) -> Layout:
    return Layout(blocks=[Paragraph(t) for t in lines], media_type="text/plain", title=title, meta=meta or {})


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        ("北京市科学技术委员会2018年政府信息公开工作年度报告", "北京市科学技术委员会", 2018),
        ("2019年北京市海淀区人民政府政府信息公开工作年度报告", "北京市海淀区人民政府", 2019),
        ("北京市东城区人民政府关于2020年政府信息公开工作年度报告", "北京市东城区人民政府", 2020),
        ("黄浦区2022年政府信息公开工作年度报告（超链版）", "黄浦区", 2022),
        ("二〇一八年度金凤区科技局政府信息公开工作年度报告", "金凤区科技局", 2018),
        ("中关村科技园区管理委员会2020年度政府信息公开年报", "中关村科技园区管理委员会", 2020),
        ("福州市晋安区2016年政府信息公开工作年度报告", "福州市晋安区", 2016),
        ("宿州市人民政府2016年政府信息公开工作年度报告", "宿州市人民政府", 2016),
    ],
)
def test_agency_and_year_from_title(title, agency, year):
    assert agency_from_title(title) == agency
    assert year_from_title(title) == year


def test_title_lines_joined_and_a_leading_attachment_label_skipped():
    m = read_metadata(
        layout(
            "附件1", "北京市科学技术委员会", "2018年政府信息公开工作年度报告", "引言", "根据条例编制本报告。"
        )
    )
    assert m.title == "北京市科学技术委员会2018年政府信息公开工作年度报告"
    assert m.title_paragraphs == 3


def test_title_from_the_page_when_the_body_does_not_print_it():
    m = read_metadata(
        layout(
            "根据《条例》编制本报告。本报告所列数据统计期限自2023年1月1日起至2023年12月31日止。",
            title="北京市丰台区2023年政府信息公开工作年度报告_北京市丰台区人民政府网站",
        )
    )
    assert (m.title, m.agency, m.year) == ("北京市丰台区2023年政府信息公开工作年度报告", "北京市丰台区", 2023)


def test_year_is_the_statistical_year_and_a_disagreement_is_warned():
    m = read_metadata(
        layout("某局2019年政府信息公开工作年度报告", "本报告统计期限为2018年1月1日至2018年12月31日。")
    )
    assert m.year == 2019
    assert any("2018" in w for w in m.warnings)


def test_agency_from_the_text_when_the_title_has_none():
    m = read_metadata(
        layout(
            "政府信息公开工作年度报告",
            "本年度报告由北京市科学技术委员会（以下简称市科委）依据《条例》编制而成，统计期限自2021年1月1日起至2021年12月31日止。",
        )
    )
    assert (m.title, m.agency, m.year) == ("政府信息公开工作年度报告", "北京市科学技术委员会", 2021)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("本报告所列数据的统计期限自2018年1月1日起，至2018年12月31日止。", 2018),
        ("报告中所列数据统计期限从2024年1月1日起至2024年12月31日止。", 2024),
        ("所列政府信息公开数据统计期限为 2018 年 1 月 1 日至 2018 年 12 月 31 日。", 2018),
        ("本年度报告中所列数据统计期限为2022年1月1日至12月31日。", 2022),
        ("本报告发布于2023年1月15日。", None),
    ],
)
def test_year_from_the_period_sentence(text, year):
    assert year_from_period(text.replace(" ", "")) == year


@pytest.mark.parametrize(
    "lines",
    [
        (
            "政府信息公开情况统计表",
            "某区科技局2016年政府信息公开工作年度报告",
        ),  # a sheet's name, then its title row
        ("二、主动公开政府信息情况", "某区科技局2016年政府信息公开工作年度报告"),
        ("当前位置：首页 > 政务公开 > 年报", "某区科技局2016年政府信息公开工作年度报告"),
        ("索引号：11110000MB0000000X/2017-00012", "某区科技局2016年政府信息公开工作年度报告"),
        ("附件：某区科技局2016年政府信息公开工作年度报告",),
    ],
)
def test_lines_above_a_whole_title_are_not_part_of_it(lines):
    m = read_metadata(layout(*lines, "根据《条例》编制本报告。"))
    assert (m.title, m.agency, m.year) == ("某区科技局2016年政府信息公开工作年度报告", "某区科技局", 2016)


def test_a_title_broken_after_an_enumeration_comma_is_joined():
    m = read_metadata(
        layout(
            "北京市科学技术委员会、", "中关村科技园区管理委员会2024年政府信息公开工作年度报告", "一、总体情况"
        )
    )
    assert m.title == "北京市科学技术委员会、中关村科技园区管理委员会2024年政府信息公开工作年度报告"
    assert m.agency == "北京市科学技术委员会、中关村科技园区管理委员会"


def test_title_typed_in_the_top_row_of_a_table():
    title = Table([Cell("某区科技局2016年政府信息公开工作年度报告", 0, 0, 1, 3), Cell("统计指标", 1, 0)])
    m = read_metadata(Layout(blocks=[Paragraph("表三"), title], media_type="application/vnd.ms-excel"))
    assert (m.title, m.agency, m.year) == ("某区科技局2016年政府信息公开工作年度报告", "某区科技局", 2016)


def test_a_title_wrapped_inside_a_word_is_joined():
    """`…中关村科技园区管理` / `委员会2022年…年度报告`: the second line alone reads as a title of `委员会`."""
    m = read_metadata(
        layout("北京市科学技术委员会、中关村科技园区管理", "委员会2022年政府信息公开年度报告", "一、总体情况")
    )
    assert m.agency == "北京市科学技术委员会、中关村科技园区管理委员会"


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        ("北京市科学技术委员会政府信息公开工作年度报告（2018年度）", "北京市科学技术委员会", 2018),
        ("杭州市西湖区人民政府政府信息公开工作年度报告（2023）", "杭州市西湖区人民政府", 2023),
        ("淮安市2023年度政务公开工作年度报告", "淮安市", 2023),
        ("苏州市人民政府办公室2023年政府信息公开工作年度报告（文字版）", "苏州市人民政府办公室", 2023),
        (
            "中共北京市委机构编制委员会办公室2021年政府信息公开工作年度报告",
            "中共北京市委机构编制委员会办公室",
            2021,
        ),
    ],
)
def test_more_title_forms(title, agency, year):
    assert (agency_from_title(title), year_from_title(title)) == (agency, year)


def test_agency_on_its_own_line_under_a_title_without_one():
    m = read_metadata(
        layout(
            "2023年政府信息公开工作年度报告",
            "北京市某某区市场监督管理局",
            "（2024年1月20日）",
            "一、总体情况",
        )
    )
    assert (m.title, m.agency, m.year) == (
        "2023年政府信息公开工作年度报告",
        "北京市某某区市场监督管理局",
        2023,
    )


@pytest.mark.parametrize(
    ("printed", "title"),
    [
        ("沭阳县某局2023年政府信息公开年度报告-沭阳县某局", "沭阳县某局2023年政府信息公开年度报告"),
        (
            "某区2022年政府信息公开工作年度报告（更正）_某区政府网",
            "某区2022年政府信息公开工作年度报告（更正）",
        ),
        ("某区2022年政府信息公开工作年度报告", "某区2022年政府信息公开工作年度报告"),
    ],
)
def test_a_site_name_after_the_title_is_no_part_of_it(printed, title):
    assert read_metadata(layout("一、总体情况", title=printed)).title == title
