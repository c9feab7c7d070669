"""The plain-text / Markdown reader: the seeds' table style, tab-separated rows, pipe tables, headings."""

from __future__ import annotations

from parsers.layout import Paragraph, Table
from parsers.limits import Deadline, Limits
from parsers.readers.text import read_text


def read(text: str, encoding: str = "utf-8", media_type: str | None = None):
    return read_text(text.encode(encoding), Limits(), Deadline(10), media_type=media_type)


def rows(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows()]


def test_seed_style_cells_rows_and_wrapped_cells():
    text = (
        "三、收到和处理政府信息公开申请情况\n\n"
        "\t（本列数据的勾稽关系）\n\t申请人情况\n\n"
        "\t\n\t\n\t商业\n企业\n\t科研\n机构\n\n"
        "\t\n\t（三）不予\n\n公开\n\t1.属于国家秘密\n\t 0\n\t0 \n\n"
        "\t\n\t\n\t2.其他法律行政法规禁止公开\n\t1\n\t2\n\n\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
    )
    layout = read(text)
    kinds = [type(b).__name__ for b in layout.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"]
    table = layout.blocks[1]
    assert rows(table) == [
        ["（本列数据的勾稽关系）", "申请人情况"],
        ["", "", "商业企业", "科研机构"],
        ["", "（三）不予公开", "1.属于国家秘密", "0", "0"],
        ["", "", "2.其他法律行政法规禁止公开", "1", "2"],
    ]
    assert layout.blocks[2].text == "四、政府信息公开行政复议、行政诉讼情况"


def test_tab_separated_rows_survive_blank_lines():
    text = "统计指标\t单位\t统计数\n一、主动公开情况\t—\t139\n\n\n（一）主动公开政府信息数\t条\t28\n后记一句话。\n"
    layout = read(text)
    table = layout.blocks[0]
    assert isinstance(table, Table)
    assert rows(table) == [
        ["统计指标", "单位", "统计数"],
        ["一、主动公开情况", "—", "139"],
        ["（一）主动公开政府信息数", "条", "28"],
    ]
    assert isinstance(layout.blocks[1], Paragraph) and layout.blocks[1].text == "后记一句话。"


def test_markdown_headings_links_and_pipe_tables():
    text = (
        "# 金凤区科技局 2018 年政府信息公开工作年度报告\n\n"
        "电子版可在（[www.ycjinfeng.gov.cn](http://www.ycjinfeng.gov.cn/)）下载。[image: pic.png]\n\n"
        "| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 3 |\n"
    )
    layout = read(text)
    assert layout.media_type == "text/markdown"
    head, para, table = layout.blocks
    assert head.heading and head.text == "金凤区科技局2018年政府信息公开工作年度报告"
    assert para.text == "电子版可在（www.ycjinfeng.gov.cn）下载。"
    assert rows(table) == [["信息内容", "本年制发件数"], ["规章", "3"]]


def test_gbk_text_is_decoded():
    layout = read("北京市科委2018年政府信息公开工作年度报告\n", encoding="gbk")
    assert layout.blocks[0].text == "北京市科委2018年政府信息公开工作年度报告"
    assert layout.meta["encoding"] == "gb18030"
