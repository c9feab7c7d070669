from __future__ import annotations

import pytest

from crawler.urls import canonicalize, url_key


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        # E11: `:80` goes, path case stays.
        (
            "http://kw.beijing.gov.cn:80/art/2020/1/16/art_736_472080.html",
            "http://kw.beijing.gov.cn/art/2020/1/16/art_736_472080.html",
        ),
        ("HTTP://KW.Beijing.GOV.cn/a/INDEX.html", "http://kw.beijing.gov.cn/a/INDEX.html"),
        ("https://h.gov.cn:443/a.html", "https://h.gov.cn/a.html"),
        ("http://h.gov.cn:8080/a.html", "http://h.gov.cn:8080/a.html"),
        # E8: fragments, empty queries and tracking queries.
        ("https://h.gov.cn/a/t20200101_1.html#", "https://h.gov.cn/a/t20200101_1.html"),
        ("https://h.gov.cn/a/t20200101_1.html#top", "https://h.gov.cn/a/t20200101_1.html"),
        ("https://h.gov.cn/zfxxgknb/index.html?from=xxgk", "https://h.gov.cn/zfxxgknb/index.html"),
        ("https://h.gov.cn/a.html?utm_source=wx&id=3", "https://h.gov.cn/a.html?id=3"),
        ("http://h.gov.cn/ftq/c100059/x.shtml?", "http://h.gov.cn/ftq/c100059/x.shtml"),
        # Hanweb static-paging shells are one page.
        (
            "http://kw.beijing.gov.cn/col/col10126/index.html?uid=4511&pageNum=2",
            "http://kw.beijing.gov.cn/col/col10126/index.html",
        ),
        # E9: the big5 gateway is the platform's own page.
        (
            "https://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/gongkai/zfxxgk/gknb/202503/t20250331_4050078.html",
            "https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/202503/t20250331_4050078.html",
        ),
        # E10: the mobile twin.
        (
            "https://gxq.cq.gov.cn/zwgk/t20260123_15349216_wap.html",
            "https://gxq.cq.gov.cn/zwgk/t20260123_15349216.html",
        ),
        # Dot segments.
        ("https://h.gov.cn/a/b/../../zcb/./x.shtml", "https://h.gov.cn/zcb/x.shtml"),
    ],
)
def test_canonicalize(url: str, canonical: str) -> None:
    assert canonicalize(url) == canonical


def test_relative_links_resolve_against_the_list_page() -> None:
    base = "https://www.ycjinfeng.gov.cn/xxgk/zfxxgkml/zfxxgknb_59360/index.html"
    assert canonicalize("./202301/t20230128_3929475.html", base) == (
        "https://www.ycjinfeng.gov.cn/xxgk/zfxxgkml/zfxxgknb_59360/202301/t20230128_3929475.html"
    )
    assert canonicalize("../../zc/xzgfxwj/", base) == "https://www.ycjinfeng.gov.cn/xxgk/zc/xzgfxwj/"


def test_meaningful_queries_are_kept() -> None:
    url = (
        "http://kw.beijing.gov.cn/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=10126"
        "&unitid=4511&webname=%25E5%258C%2597&permissiontype=0"
    )
    # The double-encoded webname survives (sites.md §3.1 pitfall), and so does every selecting key.
    assert "webname=%25E5%258C%2597" in canonicalize(url)
    assert "columnid=10126" in canonicalize(url)
    dl = "http://kw.beijing.gov.cn/module/download/downfile.jsp?classid=0&filename=160119113716798.docx"
    assert canonicalize(dl) == dl


def test_url_key_folds_twins() -> None:
    page = "https://www.beijing.gov.cn/gongkai/zfxxgk/zfxxgknb/2014nb/qzf/202010/t20201029_2124497.html"
    twins = [
        page.replace("https://", "http://"),
        page.replace("www.beijing.gov.cn/", "www.beijing.gov.cn:443/"),
        "https://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/gongkai/zfxxgk/zfxxgknb/2014nb/qzf/202010/t20201029_2124497.html",
        page + "#",
    ]
    assert {url_key(u) for u in twins} == {url_key(page)}
    # A folder and its index page are one list.
    assert url_key("https://h.gov.cn/zgc/zwgk/ndbg/10870021/") == url_key(
        "https://h.gov.cn/zgc/zwgk/ndbg/10870021/index.html"
    )
    assert url_key("https://h.gov.cn/a/index.html?b=2&a=1") == url_key("https://h.gov.cn/a/?a=1&b=2")
    # Different pages stay different.
    assert url_key("https://h.gov.cn/a/index_1.html") != url_key("https://h.gov.cn/a/index.html")
    assert url_key("https://h.gov.cn/A.html") != url_key("https://h.gov.cn/a.html")
