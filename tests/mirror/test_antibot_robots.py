"""Anti-bot signatures (sites.md §7.7) and robots.txt variants (§7.8)."""

from __future__ import annotations

import http.client
import socket

import pytest

BLOCKED = "http://blocked.mirror.test"


def test_ruishu_signatures(mirror25, get):
    for kind, status in (("ruishu412", 412), ("ruishu202", 202), ("ruishu200", 200)):
        r = get(mirror25, f"{BLOCKED}/{kind}/")
        assert r.status == status
        assert "$_ts=window['$_ts']" in r.text() and "r='m'" in r.text() and len(r.body) < 2048
        name = r.headers["set-cookie"].split("=", 1)[0]
        assert name.endswith("S")
    assert get(mirror25, f"{BLOCKED}/Ab12/xyz.js").status == 200


def test_jiasule_521(mirror25, get):
    r = get(mirror25, f"{BLOCKED}/jsl521/")
    assert r.status == 521 and "x-via-jsl" in r.headers and "__jsluid_s=" in r.headers["set-cookie"]
    assert "document.cookie='__jsluid_s=" in r.text()


def test_waf_pages(mirror25, get):
    assert get(mirror25, f"{BLOCKED}/waf403/").status == 403
    r = get(mirror25, f"{BLOCKED}/waf200/")
    assert r.status == 200 and "<title>安全验证</title>" in r.text()


def test_rate429_and_busy503(fresh_mirror, get):
    r = get(fresh_mirror, f"{BLOCKED}/rate429/")
    assert r.status == 429 and r.headers["retry-after"] == "30"
    statuses = [get(fresh_mirror, f"{BLOCKED}/busy503/").status for _ in range(3)]
    assert statuses == [503, 503, 200]


def test_session404_soft_404_until_a_session_cookie(fresh_mirror, get):
    first = get(fresh_mirror, f"{BLOCKED}/session404/")
    assert first.status == 200 and first.text() == "非法请求 404！"
    cookie = first.headers["set-cookie"].split(";", 1)[0]
    assert cookie.startswith("JSESSIONID=")
    second = get(fresh_mirror, f"{BLOCKED}/session404/", headers={"Cookie": cookie})
    assert second.status == 200 and "ok: session404" in second.text()


def test_reset_closes_without_an_answer(mirror25):
    with socket.create_connection(("127.0.0.1", mirror25.port), timeout=5) as s:
        s.sendall(b"GET http://blocked.mirror.test/reset/ HTTP/1.1\r\nHost: blocked.mirror.test\r\n\r\n")
        try:
            data = s.recv(1024)
        except ConnectionResetError:
            data = b""
    assert data == b""


def test_block_any_host_at_run_time_and_count_requests(fresh_mirror, get):
    fresh_mirror.block("www.bjmy.gov.cn", "ruishu412")
    fresh_mirror.reset()
    r = get(fresh_mirror, "https://www.bjmy.gov.cn/zwgk/zfxxgk/zfxxgknb/")
    assert r.status == 412 and "$_ts" in r.text()
    assert get(fresh_mirror, "https://www.bjmy.gov.cn/robots.txt").status == 200  # robots stays readable
    assert fresh_mirror.counts()["www.bjmy.gov.cn"] == 2
    fresh_mirror.block("www.bjmy.gov.cn", None)
    assert get(fresh_mirror, "https://www.bjmy.gov.cn/zwgk/zfxxgk/zfxxgknb/").status == 200


@pytest.mark.parametrize(
    ("host", "status", "needle", "policy"),
    [
        ("kw.beijing.gov.cn", 200, "Disallow: /so/\nDisallow: /module/jslib/\nCrawl-delay: 2", "partial"),
        ("www.beijing.gov.cn", 200, "Disallow: /so/\nDisallow: /gate/", "partial"),
        ("www.bjdx.gov.cn", 404, None, "missing"),
        ("www.ycjinfeng.gov.cn", 503, None, "error"),
        ("zgcgw.beijing.gov.cn", 200, "User-agent: *\nDisallow: /\n", "disallow_all"),
    ],
)
def test_robots_variants(mirror25, get, host, status, needle, policy):
    r = get(
        mirror25,
        f"http://{host}/robots.txt" if host != "www.beijing.gov.cn" else f"https://{host}/robots.txt",
    )
    assert r.status == status
    if needle:
        assert needle in r.text()
    assert mirror25.manifest["robots"][host] == policy


def test_robots_fetches_are_logged(fresh_mirror, get):
    get(fresh_mirror, "https://zgcgw.beijing.gov.cn/robots.txt")
    assert [e["path"] for e in fresh_mirror.requests("zgcgw.beijing.gov.cn")] == ["/robots.txt"]


def test_connect_to_unknown_host_is_refused(mirror25):
    conn = http.client.HTTPConnection("127.0.0.1", mirror25.port, timeout=5)
    conn.set_tunnel("www.example.com", 443)
    with pytest.raises(OSError, match="502"):
        conn.connect()
    conn.close()
