"""Edge cases E1-E28 of sites.md §7.6: each answers as the table says, and the manifest records it."""

from __future__ import annotations

import re
import socket
import time

from tests.mirror.conftest import report


def edge_reports(m, e):
    return [r for r in m.manifest["reports"] if e in r["edge_cases"]]


def test_e1_listed_but_missing_detail(mirror25, get):
    r = report(mirror25, "kw-2012")
    assert r["status"] == "gone" and "E1" in r["edge_cases"]
    lists = "".join(
        get(mirror25, u).text()
        for u in next(c for c in mirror25.manifest["columns"] if c["id"] == "kw-trs")["pages"]
    )
    assert r["canonical_url"].rsplit("/", 2)[-2] + "/" + r["canonical_url"].rsplit("/", 1)[-1] in lists
    assert get(mirror25, r["canonical_url"]).status == 404


def test_e2_past_last_page_404_everywhere(mirror25, get):
    for col in mirror25.manifest["columns"]:
        if "past_last" in col:
            assert get(mirror25, col["past_last"]).status == 404, col["id"]


def test_e3_http_redirects_to_https_on_the_central_platform(mirror25, get):
    url = report(mirror25, "bj-2020")["canonical_url"]
    assert url.startswith("https://www.beijing.gov.cn/")
    r = get(mirror25, url.replace("https://", "http://"))
    assert r.status == 301 and r.headers["location"] == url
    assert get(mirror25, url).status == 200


def test_e4_migration_redirects(mirror25, get):
    r = get(mirror25, "https://kw.beijing.gov.cn/art/2023/10/28/art_10126_669940.html")
    assert r.status == 301
    assert (
        r.headers["location"]
        == "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/202310/t20231028_3321001.html"
    )
    zgc = report(mirror25, "zgc-2010")
    assert zgc["canonical_url"] == r.headers["location"]
    assert "https://kw.beijing.gov.cn/art/2023/10/28/art_10126_669940.html" in zgc["alt_urls"]
    col = get(mirror25, "https://kw.beijing.gov.cn/col/col10126/index.html")
    assert col.status == 302 and col.headers["location"] == "/zwgk/zfxxgk/zfxxgknb/"


def test_e5_migration_404(mirror25, mirror23, get):
    url = "https://kw.beijing.gov.cn/art/2020/1/16/art_736_472080.html"
    assert get(mirror23, url).status == 200
    assert get(mirror25, url).status == 404
    assert report(mirror25, "zgc-2019")["status"] == "gone"
    assert report(mirror23, "zgc-2019")["status"] == "current"


def test_e6_redirect_loop(mirror25, get):
    loop = next(rd for rd in mirror25.manifest["redirects"] if rd["edge"] == "E6")
    a = get(mirror25, loop["from"])
    assert a.status == 302 and a.headers["location"].endswith(".shtml?")
    b = get(mirror25, loop["from"] + "?")
    assert b.status == 302 and b.headers["location"].endswith(".shtml")


def test_e7_relative_location(mirror25, get):
    r = get(mirror25, "https://zgcgw.beijing.gov.cn/zgc/zwgk/ndbg/10870021")
    assert r.status == 301 and r.headers["location"] == "10870021/"
    assert get(mirror25, "https://zgcgw.beijing.gov.cn/zgc/zwgk/ndbg/10870021/").status == 200


def test_e8_query_and_fragment_dupes(mirror25, get):
    base = get(mirror25, "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/index.html").body
    assert get(mirror25, "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/index.html?from=xxgk").body == base
    assert "index.html?from=xxgk" in get(mirror25, "https://kw.beijing.gov.cn/").text()
    assert re.search(r'href="\./\d{6}/t\d+_\d+\.html#"', base.decode())


def test_e9_big5_gateway_twins(mirror25, get):
    r = report(mirror25, "bj-2020")
    twin = r["canonical_url"].replace(
        "www.beijing.gov.cn/", "www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/"
    )
    assert twin in r["alt_urls"] and "E9" in r["edge_cases"]
    page = get(mirror25, twin).text()
    assert "來源:" in page and "字號:" in page and "來源:北京市政務服務管理局" in page
    assert (
        get(mirror25, "https://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/gongkai/zfxxgk/gknb/").status
        == 200
    )


def test_e10_mobile_twins(mirror25, get):
    r = report(mirror25, "jf-2022")
    wap = next(u for u in r["alt_urls"] if u.endswith("_wap.html"))
    assert get(mirror25, wap).status == 200
    assert "_wap.html" in get(mirror25, r["canonical_url"]).text()


def test_e11_case_sensitive_paths(mirror25, get):
    assert get(mirror25, "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/INDEX.html").status == 404


def test_e12_republished_reports_show_the_original_date(mirror25, get):
    ft = report(mirror25, "ftq-2014")
    assert ft["canonical_url"].endswith("/2014nb/qzf/202010/t20201029_2124497.html")
    assert "日期:2015-03-25 15:15" in get(mirror25, ft["canonical_url"]).text()
    assert ft["visible_date"] == "2015-03-25" and ft["url_date"] == "2020-10-29"
    dx = report(mirror25, "dx-2018")
    assert "日期:2019-12-16 08:57" in get(mirror25, dx["canonical_url"]).text()


def test_e13_same_report_on_several_hosts(mirror25, get):
    r = report(mirror25, "zgc-2010")
    assert "https://zgcgw.beijing.gov.cn/zgc/zwgk/ndbg/10870021/" in r["alt_urls"]
    kw14 = report(mirror25, "kw-2014")
    copy = next(
        u
        for u in kw14["alt_urls"]
        if "/2014nb/szfbm/202010/t20201029_2124225.html" in u and "/gate/" not in u
    )
    a, b = get(mirror25, kw14["canonical_url"]).text(), get(mirror25, copy).text()
    text_a, text_b = (re.sub(r"<[^>]+>", "", x) for x in (a, b))
    runs = re.findall(r"[\u4e00-\u9fff，。、；（）]{30,}", text_a)
    assert len(runs) > 10 and all(run in text_b for run in runs[2:])  # identical body text, different chrome
    assert a != b


def test_e14_corrected_reports(mirror25, get):
    v1, v2 = report(mirror25, "hrzfb-2021"), report(mirror25, "hrzfb-2021-gz")
    assert (
        v1["status"] == "superseded"
        and v1["superseded_by"] == "hrzfb-2021-gz"
        and v2["supersedes"] == "hrzfb-2021"
    )
    assert v2["title"].endswith("（更正）")
    page = get(mirror25, v1["canonical_url"]).text()
    assert "本报告已更正，请以2022年3月1日发布版本为准" in page and v2["canonical_url"] in page
    assert v1["facts"] != v2["facts"]
    kw_v1 = report(mirror25, "kwzgc-2022")
    r = get(mirror25, kw_v1["canonical_url"])
    assert r.status == 301 and r.headers["location"] == report(mirror25, "kwzgc-2022-gz")["canonical_url"]


def test_e15_silent_replacement_between_epochs(mirror23, mirror25, get):
    a, b = report(mirror23, "my-2020"), report(mirror25, "my-2020")
    assert a["canonical_url"] == b["canonical_url"] and a["body_sha256"] != b["body_sha256"]
    ra, rb = get(mirror23, a["canonical_url"]), get(mirror25, b["canonical_url"])
    assert ra.headers["etag"] != rb.headers["etag"] and ra.body != rb.body


def test_e16_gbk_pages(mirror25, get):
    implicit = get(mirror25, report(mirror25, "mykw-2008")["canonical_url"])
    assert implicit.headers["content-type"] == "text/html"
    assert b'charset=gb2312"' in implicit.body
    text = implicit.body.decode("gbk")
    assert "镕" in text and "堃" in text and "\ufffd" not in text
    header = get(mirror25, report(mirror25, "mykw-2009")["canonical_url"])
    assert header.headers["content-type"] == "text/html; charset=GBK" and "堃" in header.body.decode("gbk")
    mismatch = get(mirror25, report(mirror25, "mykw-2010")["canonical_url"])
    assert mismatch.headers["content-type"] == "text/html; charset=utf-8"
    assert "堃" in mismatch.body.decode("gbk")
    try:
        mismatch.body.decode("utf-8")
        raise AssertionError("GBK bytes should not decode as utf-8")
    except UnicodeDecodeError:
        pass
    assert report(mirror25, "mykw-2008")["encoding"] == "gbk"


def test_e17_unpadded_and_chinese_dates(mirror23, mirror25, get):
    assert "发布时间:2022-01-5" in get(mirror25, report(mirror25, "xcfgw-2021")["canonical_url"]).text()
    assert (
        "发布时间:2023年10月28日"
        in get(mirror23, "http://kw.beijing.gov.cn/art/2023/10/28/art_10126_669940.html").text()
    )
    assert "日期:2016-03-13 00:00" in get(mirror25, report(mirror25, "hr-2015")["canonical_url"]).text()


def test_e18_missing_metadata(mirror25, get):
    page = get(mirror25, report(mirror25, "dx-2015")["canonical_url"]).text()
    assert "来源: 日期:2019-12-16 08:44" in page and '<span id="clickCount"></span>' in page
    without = [r for r in edge_reports(mirror25, "E18") if r["cms"] == "trs"]
    assert without
    for r in without[:3]:
        assert '<meta name="PubDate"' not in get(mirror25, r["canonical_url"]).text()


def test_e19_multi_page_article(mirror25, get):
    r = report(mirror25, "kw-2019")
    assert len(r["pages"]) == 2 and r["pages"][1].endswith("_1.html")
    first, second = (get(mirror25, u).text() for u in r["pages"])
    assert "var countPage = 2;" in first and "<table" in second


def test_e20_commented_items_and_pager(mirror25, get):
    col = next(c for c in mirror25.manifest["columns"] if c["id"] == "jf")
    page = get(mirror25, col["url"]).text()
    hidden = report(mirror25, "jfkj-2020")
    name = hidden["canonical_url"].rsplit("/", 1)[1]
    comments = "".join(re.findall(r"<!--.*?-->", page, flags=re.S))
    assert name in comments
    assert name not in re.sub(r"<!--.*?-->", "", page, flags=re.S)
    assert hidden["discoverable"] is False
    assert "//createPageHTML(" in page and "var countPage =" in page


def test_e22_negatives_are_served(mirror25, get):
    negs = mirror25.manifest["negatives"]
    assert len(negs) >= 10
    titles = {n["title"] for n in negs}
    assert "关于做好2025年政府信息公开年报编制和公布有关工作的函" in titles
    for n in negs:
        assert get(mirror25, n["url"]).status == 200, n["url"]


def test_e23_attachment_anomalies(mirror25, get):
    atts = [a for r in mirror25.manifest["reports"] for a in r["attachments"]]
    by_form = {a["link_form"]: a for a in atts}
    html_err = get(mirror25, by_form["trs_pdf_htmlerror"]["url"])
    assert html_err.status == 200 and html_err.headers["content-type"].startswith("text/html")
    assert get(mirror25, by_form["trs_pdf_404"]["url"]).status == 404
    octet = get(mirror25, by_form["trs_pdf_octet"]["url"])
    assert octet.headers["content-type"] == "application/octet-stream" and octet.body.startswith(b"%PDF")
    mism = by_form["pdf_text_docx_target"]
    assert mism["link_text"].endswith(".pdf") and mism["url"].endswith(".docx")
    page = get(mirror25, report(mirror25, "jfmz-2023")["canonical_url"]).text()
    assert '<iframe src="/pdfjs/web/viewer.html?file=' in page
    assert get(mirror25, by_form["pdfjs_iframe"]["viewer_url"]).status == 200


def test_e24_slow_page(mirror25, get):
    r = edge_reports(mirror25, "E24")[0]
    t = time.monotonic()
    assert get(mirror25, r["canonical_url"]).status == 200
    assert time.monotonic() - t >= 1.0  # slow_seconds=1 in the test fixture (8 by default)


def test_e25_truncated_body(mirror25):
    r = edge_reports(mirror25, "E25")[0]
    host_path = r["canonical_url"].split("://", 1)[1]
    host, path = host_path.split("/", 1)
    with socket.create_connection(("127.0.0.1", mirror25.port), timeout=5) as s:
        s.sendall(f"GET http://{host}/{path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    assert 0 < len(body) < length


def test_e26_cross_host_link(mirror25, get):
    page = get(mirror25, "https://www.beijing.gov.cn/gongkai/zfxxgk/zfxxgknb/2019nb/qzf/").text()
    hr = report(mirror25, "hr-2019")
    assert (
        hr["canonical_url"].startswith("https://www.bjhr.gov.cn/") and f'href="{hr["canonical_url"]}"' in page
    )


def test_e27_empty_column(mirror25, get):
    page = get(mirror25, "https://www.bjxch.gov.cn/zt/xxgkzl/gknblb/pntypepvnbpnnfpv2020.html")
    assert page.status == 200 and "<li>暂无数据</li>" in page.text()


def test_e28_path_encoded_detail(mirror25, get):
    r = get(mirror25, "https://www.bjxch.gov.cn/zt/xxgkzl/gknbxq/pnidpv150pntypepvnbpnnfpv2021.html")
    assert r.status == 200 and "西城区发展和改革委员会2021年" in r.text()


def test_e28_query_string_jsp_detail(mirror25, get):
    r = report(mirror25, "xc-2021")
    jsp = next(u for u in r["alt_urls"] if "xxgkAnnualReport.jsp" in u)
    page = get(mirror25, jsp)
    assert page.status == 200 and r["title"] in page.text() and "etag" not in page.headers
    assert get(mirror25, jsp.replace("fbtime=2021", "fbtime=2020")).text().count("暂无数据") == 1
    assert (
        "xxgkAnnualReport.jsp?fbtime=2021" in get(mirror25, "https://www.bjxch.gov.cn/zt/xxgkzl/gknb/").text()
    )
