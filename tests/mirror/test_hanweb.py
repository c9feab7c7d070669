"""Hanweb JCMS (kw.beijing.gov.cn, epoch 2023): jpage datastore, dataproxy.jsp windows and pages, downfile.jsp."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from tests.mirror.conftest import report

COL = "http://kw.beijing.gov.cn/col/col10126/index.html"
PROXY = "http://kw.beijing.gov.cn/module/web/jpage/dataproxy.jsp"
PARAMS = "col=1&appid=1&webid=1&path=/&columnid=10126&unitid=4511&webname=%25E5%258C%2597&permissiontype=0"
RECORD = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.S)


def unit(m):
    return next(u for u in m.manifest["hanweb_units"] if u["unitid"] == 4511)


def records(text: str) -> list[str]:
    return RECORD.findall(text)


def test_column_page_embeds_the_first_group_and_declares_the_total(mirror23, get):
    page = get(mirror23, COL).text()
    u = unit(mirror23)
    block = page.split('<div id="4511">', 1)[1].split("</script></div>", 1)[0]
    embedded = records(block)
    assert len(embedded) == u["embedded"] == u["per_page"] * u["group_size"] < u["total"]
    assert f"totalRecord:{u['total']}" in page and f"perPage:{u['per_page']}" in page
    assert "proxyUrl:'/module/web/jpage/dataproxy.jsp'" in page
    # a second jpage unit on the same page (another column): the crawler must pick by unit id
    assert '<div id="4512">' in page


def test_window_mode_returns_exactly_the_requested_records(mirror23, get):
    u = unit(mirror23)
    whole = records(get(mirror23, f"{PROXY}?startrecord=1&endrecord={u['total']}&perpage=10&{PARAMS}").text())
    assert len(whole) == u["total"]
    page = get(mirror23, COL).text().split('<div id="4511">', 1)[1].split("</script></div>", 1)[0]
    assert records(page) == whole[: u["embedded"]]
    k = u["embedded"]
    window = get(mirror23, f"{PROXY}?startrecord={k + 1}&endrecord={k + 30}&perpage=10&{PARAMS}").text()
    assert records(window) == whole[k : k + 30]
    assert f"<totalrecord>{u['total']}</totalrecord>" in window and "<totalpage>" not in window
    clipped = records(get(mirror23, f"{PROXY}?startrecord={u['total'] - 1}&endrecord=999&{PARAMS}").text())
    assert clipped == whole[-2:]
    assert records(get(mirror23, f"{PROXY}?startrecord=999&endrecord=1200&{PARAMS}").text()) == []


def test_page_mode_returns_groups_with_totalpage(mirror23, get):
    u = unit(mirror23)
    size = u["per_page"] * u["group_size"]
    whole = records(get(mirror23, f"{PROXY}?startrecord=1&endrecord=999&{PARAMS}").text())
    p1 = get(mirror23, f"{PROXY}?page=1&{PARAMS}").text()
    pages = -(-u["total"] // size)
    assert f"<totalpage>{pages}</totalpage>" in p1
    assert records(p1) == whole[:size]
    assert records(get(mirror23, f"{PROXY}?page=2&{PARAMS}").text()) == whole[size : 2 * size]
    assert records(get(mirror23, f"{PROXY}?page={pages + 1}&{PARAMS}").text()) == []


def test_column_and_unit_must_match(mirror23, get):
    wrong = get(mirror23, f"{PROXY}?page=1&columnid=10126&unitid=4512").text()
    assert "<totalrecord>0</totalrecord>" in wrong and records(wrong) == []
    side = get(mirror23, f"{PROXY}?page=1&columnid=10120&unitid=4512").text()
    assert len(records(side)) == 5
    first = re.search(r'href="([^"]+)"', records(side)[0]).group(1)
    assert get(mirror23, urljoin(COL, first)).status == 200


def test_other_dataproxy_paths_are_404(mirror23, get):
    assert (
        get(
            mirror23, "http://kw.beijing.gov.cn/module/jpage/dataproxy.jsp?page=1&columnid=10126&unitid=4511"
        ).status
        == 404
    )
    assert (
        get(mirror23, "http://kw.beijing.gov.cn/module/jslib/jquery/jpage/dataproxy.jsp?page=1").status == 404
    )
    assert get(mirror23, "http://kw.beijing.gov.cn/col/col10126/index_1.html").status == 404


def test_static_paging_variants_return_the_same_bytes(mirror23, get):
    base = get(mirror23, COL).body
    for n in (2, 3):
        assert get(mirror23, f"{COL}?uid=4511&pageNum={n}").body == base


def test_every_record_links_a_detail_page_with_its_title(mirror23, get):
    whole = records(get(mirror23, f"{PROXY}?startrecord=1&endrecord=999&{PARAMS}").text())
    for rec in whole:
        href = re.search(r"href=['\"]([^'\"]+)", rec).group(1)
        title = re.search(r"title=['\"]([^'\"]+)", rec).group(1)
        r = get(mirror23, urljoin(COL, href))
        assert r.status == 200, href
        assert f'<meta name="ArticleTitle" content="{title}">' in r.text()
        assert "<!--ZJEG_RSS.content.begin-->" in r.text()


def test_variant_c_records_truncate_titles(mirror23, get):
    whole = records(get(mirror23, f"{PROXY}?startrecord=1&endrecord=999&{PARAMS}").text())
    truncated = [r for r in whole if '<span class="list_title">' in r and "...</span>" in r]
    assert truncated  # E21: the full title only in title=


def test_legacy_js_array_column(mirror23, get):
    page = get(mirror23, "http://kw.beijing.gov.cn/col/col736/index.html").text()
    assert "urls[i]='/art/2020/1/16/art_736_472080.html'" in page
    assert "year[i]='2020';month[i]='1';day[i]='16'" in page
    assert get(mirror23, "http://kw.beijing.gov.cn/art/2020/1/16/art_736_472080.html").status == 200


def test_downfile_302_and_200_with_disposition(mirror23, get):
    pdf = next(a for a in report(mirror23, "kw-2016")["attachments"] if a["link_form"] == "downfile302")
    r = get(mirror23, pdf["url"])
    assert r.status == 302 and r.headers["location"].startswith("/attach/0/")
    att = get(mirror23, pdf["redirects_to"])
    assert (
        att.status == 200
        and att.body.startswith(b"%PDF")
        and att.headers["content-type"] == "application/pdf"
    )
    import hashlib

    assert hashlib.sha256(att.body).hexdigest() == pdf["sha256"]
    docx = next(a for a in report(mirror23, "kw-2017")["attachments"] if a["link_form"] == "downfile200")
    r = get(mirror23, docx["url"])
    assert r.status == 200 and r.body[:2] == b"PK"
    assert r.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    assert hashlib.sha256(r.body).hexdigest() == docx["sha256"]
    assert (
        get(
            mirror23, "http://kw.beijing.gov.cn/module/download/downfile.jsp?classid=0&filename=nope.pdf"
        ).status
        == 404
    )


def test_referer_strictness_flag(fresh_mirror, get):
    fresh_mirror.switch(epoch=2023)
    fresh_mirror.config(jpage_require_referer=True)
    assert get(fresh_mirror, f"{PROXY}?page=1&{PARAMS}").status == 403
    ok = get(fresh_mirror, f"{PROXY}?page=1&{PARAMS}", headers={"Referer": COL})
    assert ok.status == 200
