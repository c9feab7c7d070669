"""Anti-bot answers, robots.txt, politeness and the lock (sites.md §7.7-§7.9, acceptance 7 and 9).

Blocks are served by the mirror: `blocked.mirror.test/{kind}/` answers every path with one defence, and
`mirror.block(host, kind)` puts a defence in front of a real mirrored host.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from tests.crawler.harness import ArchiveView, crawl, crawl_env, nianbao, start_crawl

pytestmark = pytest.mark.slow

BLOCKED_HOST = "blocked.mirror.test"
# kind served -> kind recorded, and the most requests the host may get: those in flight when the block
# is seen (per-host concurrency 2), times the attempts of each (no retry on a challenge; a network failure
# is retried twice before the host is given up).
KINDS = {
    "ruishu412": ("ruishu", 2),
    "ruishu202": ("ruishu", 2),
    "ruishu200": ("ruishu", 2),
    "jsl521": ("jiasule", 2),
    "waf403": ("waf", 2),
    "waf200": ("waf", 2),
    "session404": ("session_gate", 2),
    "rate429": ("rate_limited", 2),  # Retry-After: 30 is longer than we wait: no retry at all
    "reset": ("unreachable", 6),
}
# The HTTP status each kind answers with (sites.md §7.7); a reset connection has none. Every kind but the
# reset is a challenge: never retried.
STATUSES = {
    "ruishu412": 412,
    "ruishu202": 202,
    "ruishu200": 200,
    "jsl521": 521,
    "waf403": 403,
    "waf200": 200,
    "session404": 200,
    "rate429": 429,
    "reset": None,
}
START_PATHS = ["", "a/index.html", "b/index.html", "c/index.html", "d/index.html"]


def write_registry(path: Path, entries: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"sites": entries}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def sqlite_archive(tmp_path: Path) -> tuple[str, Path]:
    from tests.conftest import _migrate

    url = f"sqlite:///{tmp_path / 'nianbao.db'}"
    _migrate(url)
    data = tmp_path / "data"
    data.mkdir()
    return url, data


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_block_kind_gives_one_blocked_record_and_no_retry_storm(
    kind, fresh_archive, mirror, tmp_path
) -> None:  # noqa: ANN001
    """Acceptance 7: one `blocked` record per host, request count within the cap, the host skipped; on
    both backends, since the `host_blocked` event is read back from the archive."""
    recorded_kind, cap = KINDS[kind]
    database_url, data_dir = fresh_archive
    registry = write_registry(
        tmp_path / "sites.yaml",
        [
            {
                "name": "blocked",
                "family": "trs",
                "start_urls": [f"http://{BLOCKED_HOST}/{kind}/{p}" for p in START_PATHS],
                "scope": ["/"],
            }
        ],
    )
    mirror.reset()
    env = crawl_env(database_url, data_dir, mirror.proxy_url, NIANBAO_SITES=str(registry))
    started = datetime.now(UTC).replace(microsecond=0)
    result = crawl(env, "blocked")
    ended = datetime.now(UTC)
    assert result.returncode == 2, result
    (blocked,) = result.report["blocked"]
    assert (blocked["host"], blocked["kind"]) == (BLOCKED_HOST, recorded_kind)
    assert blocked["url"].startswith(f"http://{BLOCKED_HOST}/{kind}/")
    requests = [e for e in mirror.requests(BLOCKED_HOST) if e["path"] != "/robots.txt"]
    assert len(requests) <= cap, requests
    if STATUSES[kind] is not None:  # a challenge: no path asked twice, and every answer was the challenge
        assert all(n == 1 for n in Counter(e["path"] for e in requests).values()), requests
        assert {e["status"] for e in requests} == {STATUSES[kind]}, requests
    assert blocked["skipped_requests"] >= len(START_PATHS) - cap  # the rest never left the crawler
    # The record says what was seen, with what evidence, and when (sites.md §7.7).
    assert blocked["status"] == STATUSES[kind]
    assert isinstance(blocked["signature"], str) and blocked["signature"].strip()
    seen_at = datetime.fromisoformat(blocked["at"])
    assert seen_at.tzinfo is not None and started <= seen_at <= ended
    assert result.report["errors"] == []
    assert "BLOCKED blocked.mirror.test" in result.stdout
    view = ArchiveView(database_url)
    try:
        events = [e for e in view.events() if e.kind == "host_blocked"]
        assert len(events) == 1 and events[0].detail["host"] == BLOCKED_HOST
        detail = events[0].detail
        assert (detail["kind"], detail["status"], detail["url"], detail["signature"]) == (
            blocked["kind"],
            blocked["status"],
            blocked["url"],
            blocked["signature"],
        )
        occurred = events[0].occurred_at
        occurred = occurred if occurred.tzinfo else occurred.replace(tzinfo=UTC)
        assert started <= occurred <= ended
    finally:
        view.close()


def test_busy_server_is_retried_after_its_retry_after_and_then_read(sqlite_archive, mirror, tmp_path) -> None:  # noqa: ANN001
    """busy503: two 503s with Retry-After: 5, then the page; waited for, not treated as a block."""
    database_url, data_dir = sqlite_archive
    registry = write_registry(
        tmp_path / "sites.yaml",
        [
            {
                "name": "busy",
                "family": "trs",
                "start_urls": [f"http://{BLOCKED_HOST}/busy503/"],
                "scope": ["/busy503/"],
            }
        ],
    )
    mirror.reset()
    env = crawl_env(
        database_url, data_dir, mirror.proxy_url, NIANBAO_SITES=str(registry), NIANBAO_RETRY_AFTER_MAX="6"
    )
    started = time.monotonic()
    result = crawl(env, "busy")
    assert result.returncode == 0, result
    requests = [e for e in mirror.requests(BLOCKED_HOST) if e["path"] == "/busy503/"]
    assert len(requests) == 3
    assert time.monotonic() - started >= 10  # two Retry-After waits of 5 s
    assert result.report["blocked"] == []


def test_a_blocked_real_host_is_skipped_for_the_rest_of_the_run(fresh_archive, mirror) -> None:  # noqa: ANN001
    """A Ruishu challenge in front of bjxch: one event, the other host of the run is crawled normally."""
    database_url, data_dir = fresh_archive
    mirror.reset()
    mirror.block("www.bjxch.gov.cn", "ruishu412")
    try:
        env = crawl_env(database_url, data_dir, mirror.proxy_url)
        result = crawl(env, "bjxch", "bjhr")
    finally:
        mirror.block("www.bjxch.gov.cn", None)
    assert result.returncode == 2, result
    assert [b["host"] for b in result.report["blocked"]] == ["www.bjxch.gov.cn"]
    assert len([e for e in mirror.requests("www.bjxch.gov.cn") if e["path"] != "/robots.txt"]) == 1
    assert result.report["reports"]["new"] > 20  # bjhr's reports
    view = ArchiveView(database_url)
    try:
        assert [e.detail["kind"] for e in view.events() if e.kind == "host_blocked"] == ["ruishu"]
    finally:
        view.close()


def test_politeness_defaults_never_trip_the_rate_limiter(sqlite_archive, mirror) -> None:  # noqa: ANN001
    """Acceptance 9: the mirror answers 429 past 5 requests/s per host; the default settings never do that."""
    database_url, data_dir = sqlite_archive
    mirror.reset()
    mirror.config(rate_limit=True)
    try:
        env = crawl_env(database_url, data_dir, mirror.proxy_url, fast=False, NIANBAO_PARSE_WORKERS="1")
        result = crawl(env, "bjxch")
    finally:
        mirror.config(rate_limit=False)
    log = mirror.requests("www.bjxch.gov.cn")
    assert len(log) >= 10
    assert not [e for e in log if e["status"] == 429]
    assert result.returncode == 0, result
    ua = log[-1]["headers"].get("user-agent") or log[-1]["headers"].get("User-Agent")
    assert ua.startswith("nianbao/") and "+https://" in ua


def test_robots_crawl_delay_is_honoured(sqlite_archive, mirror) -> None:  # noqa: ANN001
    """kw's robots.txt says Crawl-delay: 2; with production settings requests to it are at least 2 s apart."""
    database_url, data_dir = sqlite_archive
    mirror.switch(epoch=2025, scenarios=set())
    mirror.reset()
    env = crawl_env(database_url, data_dir, mirror.proxy_url, fast=False, NIANBAO_PARSE_WORKERS="1")
    proc = start_crawl(env, "kw")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            pages = [e for e in mirror.requests("kw.beijing.gov.cn") if e["path"] != "/robots.txt"]
            if len(pages) >= 4:
                break
            time.sleep(0.2)
    finally:
        proc.kill()  # seen enough; its workers follow it out
        proc.wait(60)
    times = [e["t"] for e in pages[:4]]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 1.95, gaps


def test_a_second_crawl_of_the_same_source_exits_at_once(sqlite_archive, mirror) -> None:  # noqa: ANN001
    database_url, data_dir = sqlite_archive
    mirror.reset()
    env = crawl_env(database_url, data_dir, mirror.proxy_url, fast=False, NIANBAO_PARSE_WORKERS="1")
    first = start_crawl(env, "bjxch")
    try:
        deadline = time.monotonic() + 30
        while not list((data_dir / "locks").glob("bjxch.lock")) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        started = time.monotonic()
        second = nianbao(env, "crawl", "--source", "bjxch", timeout=60)
        assert time.monotonic() - started < 15
        assert second.returncode == 75
        assert "already being crawled" in second.stderr and "bjxch" in second.stderr
    finally:
        first.terminate()
        first.wait(60)


def test_discovery_spider_finds_the_report_column_from_the_home_page(fresh_archive, mirror, tmp_path) -> None:  # noqa: ANN001
    """An entry of unknown CMS family: found from the home page by its link text, the same reports as
    the TRS spider finds from the column, nothing outside the column requested."""
    database_url, data_dir = fresh_archive
    registry = write_registry(
        tmp_path / "sites.yaml",
        [
            {
                "name": "huairou",
                "agency": "北京市怀柔区人民政府",
                "family": "some-cms",
                "start_urls": ["https://www.bjhr.gov.cn/"],
            }
        ],
    )
    mirror.switch(epoch=2025, scenarios=set())
    mirror.reset()
    env = crawl_env(database_url, data_dir, mirror.proxy_url, NIANBAO_SITES=str(registry))
    result = crawl(env, "huairou")
    assert result.returncode == 0, result
    expected = {
        r["canonical_url"]
        for r in mirror.manifest["reports"]
        if r["host"] == "www.bjhr.gov.cn" and r["discoverable"]
    }
    view = ArchiveView(database_url)
    try:
        found = {u for r in view.reports().values() for u in r["urls"]}
    finally:
        view.close()
    assert expected <= found
    outside = [
        e["path"]
        for e in mirror.requests("www.bjhr.gov.cn")
        if not e["path"].startswith(("/zfxxgkzl/gknb/", "/robots.txt")) and e["path"] != "/"
    ]
    assert outside == []
