"""The HTTP server: proxy and tunnel forms, prefix mode, control routes, validators, gzip, logs, limiter."""

from __future__ import annotations

import gzip
import json
import socket
import time

from mirror.testing import fetch

KW_LIST = "https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/"


def test_absolute_form_request_is_served_as_the_named_host(mirror25, get):
    r = get(mirror25, "http://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/index.html")
    assert r.status == 200
    assert r.headers["server"] == "nginx"
    assert "政府信息公开年报_北京市科学技术委员会" in r.text()


def test_https_through_connect_tunnel(mirror25, get):
    r = get(mirror25, KW_LIST)
    assert r.status == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert 'class="title-list-box"' in r.text()


def test_unknown_host_answers_502_in_both_forms(mirror25, get):
    for url in ("http://www.example.gov.cn/", "https://www.example.gov.cn/"):
        try:
            r = get(mirror25, url)
        except OSError as e:  # http.client raises on a refused CONNECT
            assert "502" in str(e)
        else:
            assert r.status == 502 and r.body == b"mirror: unknown host"


def test_port_80_in_the_url_is_the_same_host(mirror25, get):
    a = get(mirror25, "http://kw.beijing.gov.cn:80/zwgk/zfxxgk/zfxxgknb/index.html")
    b = get(mirror25, "http://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/index.html")
    assert a.status == 200 and a.body == b.body


def test_path_prefix_mode_and_location_rewrite(mirror25):
    import urllib.request

    with urllib.request.urlopen(mirror25.prefix_url(KW_LIST + "index.html")) as resp:
        assert resp.status == 200 and "title-list-box" in resp.read().decode()
    # redirects stay inside prefix mode: kw's legacy column answers 302 to a root-relative Location
    r = fetch(mirror25.proxy_url, f"{mirror25.proxy_url}/_h/kw.beijing.gov.cn/col/col10126/index.html")
    assert r.status == 302 and r.headers["location"] == "/_h/kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/"
    r = fetch(
        mirror25.proxy_url, f"{mirror25.proxy_url}/_h/kw.beijing.gov.cn/art/2023/10/28/art_10126_669940.html"
    )
    assert r.status == 301
    assert r.headers["location"] == "/_h/kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/202310/t20231028_3321001.html"


def test_control_routes_only_on_loopback(mirror25, get):
    local = fetch(mirror25.proxy_url, f"{mirror25.proxy_url}/_mirror/state")
    assert local.status == 200 and json.loads(local.body)["epoch"] == 2025
    leaked = get(mirror25, "http://kw.beijing.gov.cn/_mirror/state")
    assert leaked.status == 404
    leaked = get(mirror25, "http://kw.beijing.gov.cn/_h/kw.beijing.gov.cn/")
    assert leaked.status == 404


def test_conditional_get_answers_304(mirror25, get):
    first = get(mirror25, KW_LIST)
    etag, lm = first.headers["etag"], first.headers["last-modified"]
    assert get(mirror25, KW_LIST, headers={"If-None-Match": etag}).status == 304
    assert get(mirror25, KW_LIST, headers={"If-Modified-Since": lm}).status == 304
    assert get(mirror25, KW_LIST, headers={"If-None-Match": '"other"'}).status == 200
    assert (
        get(mirror25, KW_LIST, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status == 200
    )


def test_gzip_when_accepted(mirror25, get):
    plain = get(mirror25, KW_LIST)
    gz = get(mirror25, KW_LIST, headers={"Accept-Encoding": "gzip, deflate"})
    assert gz.headers["content-encoding"] == "gzip"
    assert gzip.decompress(gz.body) == plain.body
    assert gz.headers["etag"] == "W/" + plain.headers["etag"]
    assert (
        get(
            mirror25, KW_LIST, headers={"Accept-Encoding": "gzip", "If-None-Match": gz.headers["etag"]}
        ).status
        == 304
    )


def test_keep_alive_serves_several_requests_on_one_connection(mirror25):
    port = mirror25.port
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        req = b"GET http://kw.beijing.gov.cn/robots.txt HTTP/1.1\r\nHost: kw.beijing.gov.cn\r\n\r\n"
        s.sendall(req * 3)
        data = b""
        deadline = time.time() + 5
        while data.count(b"HTTP/1.1 200") < 3 and time.time() < deadline:
            data += s.recv(65536)
    assert data.count(b"HTTP/1.1 200 OK") == 3
    assert data.count(b"Disallow: /module/jslib/") == 3


def test_head_has_no_body(mirror25, get):
    r = get(mirror25, KW_LIST, method="HEAD")
    assert r.status == 200 and r.body == b"" and int(r.headers["content-length"]) > 1000


def test_request_log_per_host(fresh_mirror, get):
    fresh_mirror.reset()
    get(fresh_mirror, KW_LIST, headers={"Referer": "https://kw.beijing.gov.cn/"})
    get(fresh_mirror, "https://www.bjmy.gov.cn/robots.txt")
    log = fresh_mirror.requests("kw.beijing.gov.cn")
    assert [(e["method"], e["scheme"], e["path"], e["status"]) for e in log] == [
        ("GET", "https", "/zwgk/zfxxgk/zfxxgknb/", 200)
    ]
    assert log[0]["headers"]["referer"] == "https://kw.beijing.gov.cn/"
    assert fresh_mirror.counts() == {"kw.beijing.gov.cn": 1, "www.bjmy.gov.cn": 1}
    over_http = json.loads(
        fetch(fresh_mirror.proxy_url, f"{fresh_mirror.proxy_url}/_mirror/log?host=www.bjmy.gov.cn").body
    )
    assert [e["path"] for e in over_http] == ["/robots.txt"]


def test_rate_limiter_answers_429_past_five_a_second(fresh_mirror, get):
    fresh_mirror.config(rate_limit=True)
    statuses = [get(fresh_mirror, "http://www.bjmy.gov.cn/robots.txt").status for _ in range(7)]
    assert statuses[:5] == [200] * 5 and 429 in statuses[5:]
    # other hosts have their own window
    assert get(fresh_mirror, "https://www.bjhr.gov.cn/robots.txt").status == 200


def test_latency_knob_delays_answers(fresh_mirror, get):
    fresh_mirror.config(latency=0.2)
    t = time.monotonic()
    get(fresh_mirror, "https://www.bjhr.gov.cn/robots.txt")
    assert time.monotonic() - t >= 0.2


def test_post_body_is_read(mirror23, get):
    body = b"col=1&appid=1&webid=1&path=/&columnid=10126&unitid=4511&permissiontype=0"
    r = get(
        mirror23,
        "http://kw.beijing.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=3&perpage=10",
        method="POST",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status == 200 and r.body.count(b"<record>") == 3


def test_a_failing_host_answers_the_status_everywhere_until_it_recovers(fresh_mirror, get):
    page = "https://www.bjhr.gov.cn/robots.txt"
    assert get(fresh_mirror, page).status == 200
    fresh_mirror.fail("www.bjhr.gov.cn")  # down for maintenance: every URL, robots.txt too
    for url in (page, "https://www.bjhr.gov.cn/", "https://www.bjhr.gov.cn/no/such/page.html"):
        r = get(fresh_mirror, url)
        assert r.status == 503 and "retry-after" not in r.headers, url
    assert get(fresh_mirror, "https://www.bjmy.gov.cn/robots.txt").status == 200  # other hosts answer
    fresh_mirror.fail("www.bjhr.gov.cn", 500)
    assert get(fresh_mirror, page).status == 500
    fresh_mirror.fail("www.bjhr.gov.cn", None)
    assert get(fresh_mirror, page).status == 200
    # The same over the control route.
    control = f"{fresh_mirror.proxy_url}/_mirror/config"
    assert json.loads(fetch(fresh_mirror.proxy_url, f"{control}?fail=www.bjhr.gov.cn").body)["failures"] == {
        "www.bjhr.gov.cn": 503
    }
    assert get(fresh_mirror, page).status == 503
    fetch(fresh_mirror.proxy_url, f"{control}?recover=www.bjhr.gov.cn")
    assert get(fresh_mirror, page).status == 200
