"""Cell values (parsers.numbers) and label normalisation (parsers.normalize)."""

from __future__ import annotations

import pytest

from parsers.normalize import edit_distance, label_key, numbering, printed, strip_numbering
from parsers.numbers import parse_cell, yuan_to_wan


@pytest.mark.parametrize(
    ("raw", "kind", "value", "unit"),
    [
        ("22", "number", 22, None),
        (" 20", "number", 20, None),
        ("1,234", "number", 1234, None),
        ("3,985,758", "number", 3985758, None),
        ("１２", "number", 12, None),  # full-width digits
        ("-3", "number", -3, None),
        ("－15", "number", -15, None),  # full-width minus
        ("−18538", "number", -18538, None),  # U+2212
        ("1932.5830", "number", 1932.583, None),
        ("0.00", "number", 0.0, None),
        ("251000元", "number", 251000, "元"),
        ("75394432.52元", "number", 75394432.52, "元"),
        ("18651.06万元", "number", 18651.06, "万元"),
        ("22（其中修订16件）", "number", 22, None),
        ("22 (其中修订16件)", "number", 22, None),
        ("0件", "number", 0, "件"),
        ("", "blank", None, None),
        ("/", "blank", None, None),
        ("—", "blank", None, None),
        ("-", "blank", None, None),
        ("\u3000", "blank", None, None),
        ("无", "blank", None, None),
        ("1.属于国家秘密", "text", None, None),
        ("2018年", "text", None, None),
        ("商业企业", "text", None, None),
        # Digits that do not make one number: never guessed.
        ("10 1", "garbled", None, None),
        ("0880（其中新增4386项）", "garbled", None, None),
        ("1 287", "garbled", None, None),
    ],
)
def test_parse_cell(raw, kind, value, unit):
    cv = parse_cell(raw)
    assert (cv.kind, cv.value, cv.unit) == (kind, value, unit)
    if kind == "number":
        assert type(cv.value) is type(value)


def test_annotation_is_kept_as_note():
    assert parse_cell("22（其中修订16件）").note == "(其中修订16件)"


def test_yuan_to_wan_has_no_float_noise():
    assert yuan_to_wan(75394432.52) == 7539.443252
    assert yuan_to_wan(251000) == 25.1


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "主动公开政府信息数"),
        ("3.危及“三安全一稳定”", "危及三安全一稳定"),
        ('3、危及"三安全一稳定"', "危及三安全一稳定"),
        ("其中：主要负责同志参加新闻发布会次数", "主要负责同志参加新闻发布会次数"),
        ("1. 政府公报公开政府信息数", "政府公报公开政府信息数"),
        ("(二) 设置政府信息公开查阅点数", "设置政府信息公开查阅点数"),
        ("总 计", "总计"),
        ("（三）不予\n\n公开", "不予公开"),
        ("五）不予处理", "不予处理"),  # opening bracket cut off at a page break
        ("1、专职人员数（不包括政府公报及政府网站工作人员数", "专职人员数"),  # closing bracket cut off
        ("（三）申請答覆數", "申请答复数"),  # traditional characters (big5 copies)
        ("（本列数据的勾稽关系）", "(本列数据的勾稽关系)"),  # only a note: kept
    ],
)
def test_label_key(label, key):
    assert label_key(label) == key


def test_printed_joins_cjk_lines_and_keeps_latin_spaces():
    assert (
        printed("  （一）主动公开政府信息数\n   （不同渠道…计 1 条）")
        == "（一）主动公开政府信息数（不同渠道…计1条）"
    )
    assert printed("www. ycjinfeng. gov. cn") == "www. ycjinfeng. gov. cn"
    assert printed("结\n果\n维\n持") == "结果维持"


def test_numbering():
    assert numbering("（三）不予公开") == "(三)"
    assert numbering("2.重复申请") == "2"
    assert numbering("2、重复申请") == "2"
    assert numbering("十一、其他") == "十一"
    assert numbering("重复申请") is None
    assert strip_numbering("其中：1.当面申请数") == "当面申请数"


def test_edit_distance_gives_up_early():
    assert edit_distance("收到申请书", "收到申请数", 1) == 1
    assert edit_distance("设置政府信息公开工作人员数", "从事政府信息公开工作人员数", 1) == 2
    assert edit_distance("abc", "abcdef", 1) == 2
