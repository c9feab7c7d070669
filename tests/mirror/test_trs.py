"""TRS WCM lists (createPageHTML / countPage pagers, .shtml, list prefix, commented blocks) and details."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from tests.mirror.conftest import report

KW = "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/"


def live_links(html: str) -> list[str]:
    """Links of the list items, outside comments and scripts (the site navigation is not the list)."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    html = html.split('<div class="column-title">', 1)[-1]
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.findall(r'<li><a href="([^"]+)"', html) + re.findall(
        r'<li><span>[^<]*</span><a href="([^"]+)"', html
    )


def column(m, cid):
    return next(c for c in m.manifest["columns"] if c["id"] == cid)


def test_kw_pages_follow_the_live_count_not_the_stale_comment(mirror25, get):
    col = column(mirror25, "kw-trs")
    first = get(mirror25, KW).text()
    n = len(col["pages"])
    assert n == 3
    assert f"var countPage = {n}//共多少页" in first
    assert f'//createPageHTML({n - 1}, 0, "index", "html");' in first  # the stale, commented count
    for i, url in enumerate(col["pages"]):
        assert url == (KW + "index.html" if i == 0 else f"{KW}index_{i}.html")
        assert get(mirror25, url).status == 200
    assert get(mirror25, col["past_last"]).status == 404  # E2
    assert get(mirror25, f"{KW}index_{n + 1}.html").status == 404


def test_relative_list_links_resolve_against_the_list_url(mirror25, get):
    col = column(mirror25, "kw-trs")
    seen = 0
    for url in col["pages"]:
        for href in live_links(get(mirror25, url).text()):
            assert href.startswith("./")
            r = get(mirror25, urljoin(url, href.split("#")[0]))
            assert r.status in (200, 404)
            seen += 1
    assert seen == col["items"]


def test_create_page_html_pager_and_shtml_variant(mirror25, get):
    col = column(mirror25, "ft-new")
    first = get(mirror25, col["url"]).text()
    assert f'createPageHTML({len(col["pages"])}, 0, "index", "shtml")' in first
    assert col["pages"][1].endswith("index_1.shtml") and get(mirror25, col["pages"][1]).status == 200
    assert get(mirror25, col["past_last"]).status == 404


def test_list_prefix_variant(mirror25, get):
    col = column(mirror25, "hr-2022-qzfbm")
    assert col["pages"][0].endswith("/list.html") and col["pages"][1].endswith("/list_1.html")
    assert 'createPageHTML(2, 0, "list", "html")' in get(mirror25, col["url"]).text()
    assert get(mirror25, col["past_last"]).status == 404


def test_bare_directory_and_missing_slash(mirror25, get):
    assert get(mirror25, KW).body == get(mirror25, KW + "index.html").body
    r = get(mirror25, KW.rstrip("/"))
    assert r.status == 301 and r.headers["location"] == KW


def test_detail_metadata_and_containers(mirror25, get):
    r = report(mirror25, "kwzgc-2024")  # seed 001
    page = get(mirror25, r["canonical_url"]).text()
    assert f'<meta name="ArticleTitle" content="{r["title"]}">' in page
    assert '<div id="mainText"><div class="view TRS_UEDITOR trs_paper_default trs_web">' in page
    assert f'<meta name="Url" content="{r["canonical_url"]}">' in page
    assert "日期:2025-01-21" in page or "日期:" in page
    bj = get(mirror25, report(mirror25, "szfbm-2016")["canonical_url"]).text()
    assert 'class="trs_editor_view TRS_UEDITOR trs_paper_default trs_word"' in bj
    jf = get(mirror25, report(mirror25, "jf-2019")["canonical_url"]).text()
    assert '<div class="TRS_Editor"><style' in jf and ".TRS_Editor P{margin-top:0;" in jf


def test_ningxia_list2_markup(mirror25, get):
    page = get(mirror25, column(mirror25, "jf")["url"]).text()
    assert '<ul class="list2">' in page
    assert re.search(r'<li><span>\d{4}-\d\d-\d\d</span><a href="\./\d{6}/t\d{8}_\d{7}\.html"', page)
