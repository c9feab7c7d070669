from __future__ import annotations

import pytest

from crawler.classify import (
    agency_from_title,
    classify_title,
    looks_like_report_text,
    says_superseded,
    year_from_title,
)

# Real titles (sites.md §1, real_urls.csv) with their report year and agency.
REAL_TITLES = [
    ("2010年中关村科技园区管理委员会政府信息公开年度报告", 2010, "中关村科技园区管理委员会"),
    ("2020年北京市政府信息公开工作年度报告", 2020, "北京市"),
    ("丰台区2014年政府信息公开工作年度报告", 2014, "丰台区"),
    ("北京市昌平区人民政府2018年政府信息公开工作年度报告", 2018, "北京市昌平区人民政府"),
    ("北京市科学技术委员会2014年度政府信息公开年度报告", 2014, "北京市科学技术委员会"),
    ("密云县科学技术委员会2008年度政府信息公开年度报告", 2008, "密云县科学技术委员会"),
    ("北京市大兴区2018年政府信息公开年度工作报告", 2018, "北京市大兴区"),
    ("2020年北京市丰台区政府信息公开工作年度报告", 2020, "北京市丰台区"),
    ("丽水市2017年政府信息公开年度工作报告", 2017, "丽水市"),
    ("舒兰市市场监督管理局2016年政务信息公开年度报告", 2016, "舒兰市市场监督管理局"),
    (
        "北京市科学技术委员会、中关村科技园区管理委员会2024年政府信息公开工作年度报告",
        2024,
        "北京市科学技术委员会、中关村科技园区管理委员会",
    ),
    ("金凤区科技局 2018 年政府信息公开工作年度报告", 2018, "金凤区科技局"),
    ("（某单位）2020年政府信息公开工作年度报告", 2020, None),
    ("二〇一八年政府信息公开工作年度报告", 2018, None),
]

# sites.md §7.3: titles that look related but are not annual reports.
NEGATIVES = [
    "关于做好2025年政府信息公开年报编制和公布有关工作的函",
    "北京市科委政府信息公开指南",
    "2023年法治政府建设年度报告",
    "2023年度部门决算",
    "政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）",
    "2022年政务公开工作要点",
    "一图读懂2023年政府信息公开工作年度报告",
    "2024年北京市政府信息公开工作年度报告专题页面",
    "北京市2023年国民经济和社会发展统计公报",
]


@pytest.mark.parametrize(("title", "year", "agency"), REAL_TITLES)
def test_real_titles_are_reports(title: str, year: int, agency: str | None) -> None:
    info = classify_title(title)
    assert info.kind == "report"
    assert info.year == year
    assert info.agency == agency
    assert not info.corrected


@pytest.mark.parametrize("title", NEGATIVES)
def test_look_alikes_are_negative(title: str) -> None:
    assert classify_title(title).kind == "negative"


def test_correction_titles() -> None:
    info = classify_title("北京市怀柔区2021年政府信息公开工作年度报告（更正）")
    assert (info.kind, info.year, info.agency, info.corrected) == ("report", 2021, "北京市怀柔区", True)
    assert classify_title("北京市怀柔区2021年政府信息公开工作年度报告(修订版)").corrected


def test_truncated_and_bare_titles_are_unknown() -> None:
    # E21: the list text is cut; the crawler then uses title= or fetches the page to decide.
    assert classify_title("北京市科学技术委员会2018年政府信息公开工...").kind == "unknown"
    assert classify_title("（乌鲁木齐某区）年度报告").kind == "unknown"
    assert classify_title("").kind == "unknown"
    assert classify_title("关于召开会议的通知").kind == "negative"


def test_year_is_the_statistical_year_not_a_date_in_the_title() -> None:
    # A re-published old report: only the title's year counts (E12).
    assert year_from_title("北京市2016年政府信息公开工作年度报告") == 2016
    assert year_from_title("2019年度报告") == 2019
    assert year_from_title("政府信息公开工作年度报告") is None


def test_agency_from_title_drops_brackets_and_years() -> None:
    assert agency_from_title("某市委(市政府部门)2019年政府信息公开工作年度报告") == "某市委"


def test_report_text_and_superseded_notices() -> None:
    body = (
        "依据《中华人民共和国政府信息公开条例》第五十条规定，编制本报告。一、总体情况 本年主动公开政府信息…"
        + "二、主动公开政府信息情况 " * 20
    )
    assert looks_like_report_text(body)
    assert not looks_like_report_text("首页 政务公开 政府信息公开年报 2023年 2022年 2021年")
    assert says_superseded("本报告已更正，请以2022年3月1日发布版本为准")
    assert not says_superseded("本报告由区政府办公室编制")
