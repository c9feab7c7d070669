"""Joining wrapped lines: no space inside CJK text or a wrapped number, one between Latin words."""

from __future__ import annotations

import pytest

from parsers.readers.textjoin import collapse_spaces, join_cell_text, join_lines


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["1.属于国家秘", "密"], "1.属于国家秘密"),
        (["商业", "企业"], "商业企业"),
        (
            ["（二）部分公开（区分处理的，只计这一", "情形，不计其他情形）"],
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ),
        (["ABC", "test"], "ABC test"),
        (["数据统计期限从2024", "年1月1日起"], "数据统计期限从2024年1月1日起"),
        (["全年受理申请2", "2件"], "全年受理申请22件"),  # a number cut by the wrap, inside Chinese text
        (["5", "0"], "5 0"),  # two numbers on lines of their own stay two numbers
        (["www.example.gov.cn", "查阅"], "www.example.gov.cn查阅"),
        (["see", "(note)"], "see (note)"),
        (["  前后空格 ", "", "　全角空格　"], "前后空格全角空格"),
    ],
)
def test_join_lines(lines, joined):
    assert join_lines(lines) == joined


def test_numbers_wrapped_in_a_cell_are_glued_only_when_asked():
    assert join_lines(["24252.31", "1082"]) == "24252.31 1082"
    assert join_lines(["24252.31", "1082"], glue_digits=True) == "24252.311082"


def test_cell_text_from_explicit_breaks_and_spaces():
    assert join_cell_text("商业\n企业") == "商业企业"
    assert join_cell_text("22\n（其中修订16件）") == "22（其中修订16件）"
    assert collapse_spaces("总\u3000计  \u00a0合") == "总 计 合"
