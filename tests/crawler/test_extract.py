"""List and detail extraction per CMS family, on HTML written from the sites.md skeletons."""

from __future__ import annotations

from parsel import Selector

from crawler.extract.detail import declared_type, read_detail
from crawler.extract.hanweb import is_hanweb_column, js_array_links, parse_dataproxy, parse_units
from crawler.extract.links import extract_links, link_kind
from crawler.extract.trs import find_pager, next_probe, page_urls
from tests.crawler import pages

KW_LIST = "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/index.html"


def test_trs_list_items_and_pager() -> None:
    sel = Selector(text=pages.TRS_LIST)
    links = extract_links(sel, KW_LIST)
    details = [link for link in links if link.kind == "detail"]
    assert [d.url for d in details] == [
        "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/202401/t20240125_3547711.html",
        "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/202301/t20230130_2902901.html",
        "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/202501/t20250110_4000001.html",
    ]
    # The truncated text gives way to the full title= (E21); the commented-out item is not a link (E20).
    assert details[1].title.endswith("2022年政府信息公开工作年度报告")
    pager = find_pager(sel, KW_LIST)
    assert (pager.count, pager.prefix, pager.ext, pager.source) == (3, "index", "html", "createPageHTML")
    assert page_urls(KW_LIST, pager) == [
        "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/index_1.html",
        "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/index_2.html",
    ]


def test_trs_stale_commented_pager_loses_to_live_count() -> None:
    url = "https://www.ycjinfeng.gov.cn/xxgk/zfxxgkml/zfxxgknb_59360/index.html"
    sel = Selector(text=pages.TRS_LIST_STALE_PAGER)
    pager = find_pager(sel, url)
    assert (pager.count, pager.source) == (17, "countPage")
    assert page_urls(url, pager)[-1].endswith("/zfxxgknb_59360/index_16.html")
    details = [link.url for link in extract_links(sel, url) if link.kind == "detail"]
    assert details == [
        "https://www.ycjinfeng.gov.cn/xxgk/zfxxgkml/zfxxgknb_59360/202301/t20230128_3929475.html",
        "https://www.ycjinfeng.gov.cn/xxgk/zfxxgkml/zfxxgknb_59360/202206/t20220618_3001234.html",
    ]


def test_trs_shtml_last_link_and_probe() -> None:
    url = "https://www.bjft.gov.cn/xxfb/xxgk/c100226/c100279/c100281/index.shtml"
    pager = find_pager(Selector(text=pages.TRS_LIST_SHTML), url)
    assert page_urls(url, pager) == [
        "https://www.bjft.gov.cn/xxfb/xxgk/c100226/c100279/c100281/index_1.shtml"
    ]
    url = "https://www.bjmy.gov.cn/zwgk/zfxxgk/zfxxgknb/gknb2019/index.html"
    pager = find_pager(Selector(text=pages.TRS_LIST_LASTLINK), url)
    assert (pager.count, pager.source) == (5, "last-link")
    assert next_probe(url).endswith("gknb2019/index_1.html")
    assert next_probe(url.replace("index.html", "index_3.html")).endswith("gknb2019/index_4.html")
    assert next_probe("https://h.gov.cn/col/").endswith("/col/index_1.html")


def test_year_tabs_include_js_only_links_and_fold_big5() -> None:
    url = "https://www.beijing.gov.cn/gongkai/zfxxgk/zfxxgknb/index.html"
    urls = [link.url for link in extract_links(Selector(text=pages.BEIJING_YEAR_TABS), url)]
    base = "https://www.beijing.gov.cn/gongkai/zfxxgk/zfxxgknb/"
    assert urls == [base + "2021nb/qzf/", base + "2021nb/szfbm/", base + "2018nb/qzf/", base + "2016nb/"]
    assert all(link_kind(u) == "folder" for u in urls)


def test_hanweb_units_records_and_windows() -> None:
    url = "https://kw.beijing.gov.cn/col/col10126/index.html"
    assert is_hanweb_column(pages.HANWEB_COLUMN)
    (unit,) = parse_units(pages.HANWEB_COLUMN, url)
    assert unit.unitid == "4511"
    assert unit.proxy_url == "https://kw.beijing.gov.cn/module/web/jpage/dataproxy.jsp"
    assert (unit.total_record, unit.per_page, unit.group_size) == (7, 1, 3)
    assert unit.ajax_param["columnid"] == "10126" and unit.ajax_param["unitid"] == "4511"
    assert unit.ajax_param["webname"] == "北京市科学技术委员会"
    assert [r.url for r in unit.records] == [
        "https://kw.beijing.gov.cn/art/2023/10/28/art_10126_669940.html",
        "https://kw.beijing.gov.cn/art/2020/1/16/art_10126_472081.html",
        "https://kw.beijing.gov.cn/art/2019/1/20/art_10126_400001.html",
    ]
    assert unit.records[1].title == "北京市科学技术委员会2019年政府信息公开工作年度报告"
    assert unit.records[2].text == "北京市科学技术委员会2018年政府信息公开工..."  # date <i> left out
    # 7 records, 3 per group, 3 embedded: two more windows, 4-6 and 7-7.
    windows = unit.window_requests()
    assert [w[0].split("?")[1] for w in windows] == [
        "startrecord=4&endrecord=6&perpage=1",
        "startrecord=7&endrecord=7&perpage=1",
    ]
    assert windows[0][1]["columnid"] == "10126"
    assert unit.page_mode_urls(3, first=2)[0].startswith(
        "https://kw.beijing.gov.cn/module/web/jpage/dataproxy.jsp?page=2&appid=1"
    )


def test_hanweb_options_in_any_order_and_proxy_from_page() -> None:
    (unit,) = parse_units(pages.HANWEB_COLUMN_INLINE, "https://www.hanweb-demo.gov.cn/col/col55/index.html")
    assert unit.proxy_url == "https://www.hanweb-demo.gov.cn/module/jpage/dataproxy.jsp"
    assert (unit.total_record, unit.per_page) == (40, 15)
    assert unit.ajax_param["webid"] == "7" and unit.ajax_param["webname"] == "%25E6%259F%2590"
    assert [w[0].split("?")[1] for w in unit.window_requests()] == ["startrecord=1&endrecord=40&perpage=15"]


def test_hanweb_dataproxy_answer_and_js_arrays() -> None:
    answer = parse_dataproxy(pages.DATAPROXY_XML, "https://kw.beijing.gov.cn/module/web/jpage/dataproxy.jsp")
    assert (answer.total_record, answer.total_page, len(answer.records)) == (7, 3, 2)
    assert answer.records[0].url == "https://kw.beijing.gov.cn/art/2018/1/2/art_10126_300001.html"
    links = js_array_links(pages.HANWEB_JS_ARRAY, "https://kw.beijing.gov.cn/col/col736/index.html")
    assert [(link.url.rsplit("/", 1)[1], link.title) for link in links] == [
        ("art_736_472080.html", "北京市科学技术委员会2019年政府信息公开工作年度报告"),
        ("art_736_400002.html", "2018年度部门决算"),
    ]


def test_trs_detail_attachments_and_continuation() -> None:
    url = "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/202401/t20240125_3547711.html"
    page = read_detail(Selector(text=pages.TRS_DETAIL), url)
    assert page.title == "北京市科学技术委员会、中关村科技园区管理委员会2023年政府信息公开工作年度报告"
    assert page.has_body and "第五十条" in page.text and "来源" not in page.text
    folder = "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/202401/"
    assert [a.url for a in page.attachments] == [
        folder + "P020240125396815012345.pdf",  # href, never OLDSRC
        folder + "W020240125396815000001.docx",
        folder + "P020240125396815099999.xlsx",
        folder + "P020240125396815055555.docx",
        folder + "P020240125396815077777.pdf",  # pdf.js viewer ?file= resolved against the page
    ]
    assert declared_type(page.attachments[3].text) == "pdf"  # the text promises a PDF, the target is .docx
    assert page.continuation == [folder + "t20240125_3547711_1.html"]
    assert page.meta["PubDate"] == "2024-01-25 09:30"
    assert not page.superseded_notice


def test_hanweb_detail_superseded_notice_and_downfile() -> None:
    url = "https://www.bjhr.gov.cn/zfxxgkzl/gknb/2021nb/qzf2021/202201/t20220120_2400001.html"
    page = read_detail(Selector(text=pages.HANWEB_DETAIL_CORRECTED_V1), url)
    assert page.title == "北京市怀柔区2021年政府信息公开工作年度报告"
    assert page.superseded_notice
    assert (
        page.superseded_by
        == "https://www.bjhr.gov.cn/zfxxgkzl/gknb/2021nb/qzf2021/202203/t20220301_2500002.html"
    )
    (attachment,) = page.attachments
    assert "downfile.jsp" in attachment.url and "showname=" in attachment.url
    assert page.continuation == []


def test_detail_publication_date_from_meta_line_or_url() -> None:
    from crawler.extract.dates import published_date

    trs = "https://www.bjxch.gov.cn/xxgk/202201/t20220106_150.html"
    # E17: unpadded and Chinese dates; E18: no PubDate meta, the visible line or the URL instead.
    cases = [
        ({"PubDate": "2022-01-05 09:00"}, "", trs, ("2022-01-05", "meta")),
        ({}, "首页 > 年报\n发布时间:2022-01-5\n正文", trs, ("2022-01-05", "page")),
        ({}, "发布时间:2023年10月28日 来源:北京市科委 字体:【大】", trs, ("2023-10-28", "page")),
        ({}, "点击量: 来源:大兴区 日期:2019-12-16 10:00", trs, ("2019-12-16", "page")),
        ({}, "成文日期:2021-12-30\n日期：2022/01/04", trs, ("2022-01-04", "page")),
        ({}, "金凤区门户网站 www.ycjinfeng.gov.cn 2022-01-06", trs, ("2022-01-06", "url")),
        ({}, "", "https://kw.beijing.gov.cn/art/2020/1/16/art_736_472080.html", ("2020-01-16", "url")),
        ({"PubDate": "2022-13-45"}, "日期:2022-02-30", "https://x.gov.cn/a.html", None),
    ]
    for meta, text, url, expected in cases:
        found = published_date(meta, text, url)
        assert (None if found is None else (found[0].isoformat(), found[1])) == expected, (meta, text, url)


def test_detail_page_reads_its_date_line_outside_the_body() -> None:
    html = """<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="x"></head><body>
    <div class="info">发布时间:2021年1月8日 来源:北京市科委</div>
    <div id="zoom"><p>本报告由北京市科学技术委员会编制。统计期限自2020年1月1日至2020年12月31日。</p></div>
    </body></html>"""
    page = read_detail(Selector(text=html), "https://kw.beijing.gov.cn/art/2021/1/9/art_736_1.html")
    assert (page.published.isoformat(), page.published_from) == ("2021-01-08", "page")
