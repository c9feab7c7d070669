"""Crawls over time: the kw migration between epochs (acceptance 1 and 3, E4-E6, E8, E15) and periodic
crawls over simulated days (new, corrected, silently replaced and removed reports; `nianbao new`)."""

from __future__ import annotations

import hashlib
import json
import math
import re
import signal
import time
from collections import Counter
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import pytest
from sqlalchemy import select

from crawler.urls import url_key
from storage.archive import Archive
from storage.models import Report, ReportUrl
from storage.settings import Settings
from tests.crawler.harness import ArchiveView, crawl, crawl_env, nianbao, start_crawl

pytestmark = pytest.mark.slow

MIGRATION_SOURCES = ["kw", "bjft", "bjmy"]
DAY_SOURCES = ["kw", "bjmy", "bjdx", "bjhr", "ycjinfeng"]


def test_hanweb_epoch_then_trs_epoch(fresh_archive, mirror) -> None:  # noqa: ANN001
    database_url, data_dir = fresh_archive
    env = crawl_env(database_url, data_dir, mirror.proxy_url)
    view = ArchiveView(database_url)
    try:
        # --- epoch 2023: kw runs Hanweb JCMS ----------------------------------------------------------
        manifest_2023 = mirror.switch(epoch=2023, scenarios=set())
        mirror.reset()
        first = crawl(env, *MIGRATION_SOURCES)
        assert first.returncode == 0, first
        kw_log = mirror.requests("kw.beijing.gov.cn")

        # Acceptance 1: every record of the column, embedded or behind dataproxy windows.
        hanweb_reports = [
            r for r in manifest_2023["reports"] if r["host"] == "kw.beijing.gov.cn" and r["discoverable"]
        ]
        assert len(hanweb_reports) > 20
        missing = [r["id"] for r in hanweb_reports if not view.find(r)]
        assert not missing
        (unit,) = [u for u in manifest_2023["hanweb_units"] if u["columnid"] == 10126]
        assert unit["total"] > unit["embedded"]  # some records only come from dataproxy
        proxy_calls = [e for e in kw_log if e["path"] == unit["proxy_url"]]
        assert proxy_calls and all(e["method"] == "POST" for e in proxy_calls)
        assert not [e for e in kw_log if e["path"] == "/module/jpage/dataproxy.jsp"]
        # The other unit on the page (another column) is left alone; the ?uid=&pageNum= shells are one page.
        assert all("columnid=10126" in (e["query"] or "") or "10126" in json.dumps(e) for e in proxy_calls)
        column_requests = [e for e in kw_log if e["path"] == "/col/col10126/index.html"]
        assert len(column_requests) == 1 and not column_requests[0]["query"]

        # Acceptance 6 for Hanweb (sites.md §7.5 forms 4 and 5): every attachment of the crawled hosts
        # archived with the manifest's bytes under the URL that answered (the 302's target for form 4),
        # its name kept as received, and linked to the report's version.
        settings = Settings(database_url=database_url, data_dir=data_dir)
        _assert_attachments_archived(view, settings, manifest_2023, first.report["run_id"])

        before = view.reports()
        identities = {(r["agency"], r["year"]): rid for rid, r in before.items()}
        # E14 (kw): the 2022 report and its correction are one report; the correction is current.
        (v2,) = [r for r in manifest_2023["reports"] if r["id"] == "kwzgc-2022-gz"]
        (corrected,) = view.find(v2)
        current = [v for v in view.versions(corrected) if v.status == "current"]
        assert len(current) == 1 and current[0].is_correction
        assert any(v.status == "superseded" for v in view.versions(corrected))

        # --- epoch 2025: kw moved to TRS; legacy URLs redirect or 404 ------------------------------------
        manifest_2025 = mirror.switch(epoch=2025, scenarios=set())
        mirror.reset()
        second = crawl(env, *MIGRATION_SOURCES)
        after = view.reports()
    finally:
        view.close()
    # Acceptance 3: the same report identities; nothing already known was stored as a new report.
    for key, rid in identities.items():
        assert rid in after, key
    new_identities = {(r["agency"], r["year"]) for rid, r in after.items() if rid not in before}
    assert not (new_identities & set(identities))
    # E4: legacy URLs are kept with the report they now redirect to.
    index = {url_key(u): rid for rid, r in after.items() for u in r["urls"]}
    known_before = {url_key(u) for r in before.values() for u in r["urls"]}
    moved = [
        r for r in manifest_2025["redirects"] if r.get("edge") == "E4" and url_key(r["from"]) in known_before
    ]
    assert len(moved) > 15
    for redirect in moved:
        assert index.get(url_key(redirect["from"])) == index.get(url_key(redirect["to"])) is not None, (
            redirect
        )
    # E5: the page that only lived on the retired column now 404s: reported, and its report is gone.
    gone_url = "https://kw.beijing.gov.cn/art/2020/1/16/art_736_472080.html"
    assert any(url_key(b["url"]) == url_key(gone_url) for b in second.report["broken_links"])
    gone = [e for e in second.report["events"] if e["kind"] == "gone"]
    assert index[url_key(gone_url)] in {e["report_id"] for e in gone}
    assert after[index[url_key(gone_url)]]["status"] == "gone"
    # E6: bjft's retired page now redirects to itself: a redirect-loop error, nothing stored for it.
    loops = [e for e in second.report["errors"] if e["kind"] == "redirect_loop"]
    assert [urlsplit(e["url"]).path for e in loops] == [
        "/ftq/c100059/201903/8a67c1a9ef2273a4967ff6dd9ec7513b.shtml"
    ]
    assert second.returncode == 1
    # E15: bjmy's 2020 report got new numbers under the same URL: a second version and a `changed` event.
    replaced = next(r for r in manifest_2025["reports"] if r["id"] == "my-2020")
    changed = [e for e in second.report["events"] if e["kind"] == "changed"]
    assert index[url_key(replaced["canonical_url"])] in {e["report_id"] for e in changed}
    # E8: kw's home-page link `index.html?from=xxgk` and the bare folder are one list page.
    trs_list = [
        e
        for e in mirror.requests("kw.beijing.gov.cn")
        if e["path"] in ("/zwgk/zfxxgk/zfxxgknb/", "/zwgk/zfxxgk/zfxxgknb/index.html")
    ]
    assert len(trs_list) == 1


MIGRATION_HOSTS = {"kw.beijing.gov.cn", "www.bjft.gov.cn", "www.bjmy.gov.cn"}


def _assert_attachments_archived(view: ArchiveView, settings: Settings, manifest: dict, run_id: int) -> None:
    attachments = [
        (report, att)
        for report in manifest["reports"]
        if report["host"] in MIGRATION_HOSTS and report["discoverable"] and report["status"] == "current"
        for att in report["attachments"]
    ]
    assert {"downfile302", "downfile200"} <= {att["link_form"] for _, att in attachments}
    fetches = view.fetches(run_id=run_id)
    roles = {(u.report_id, url_key(u.url)): u.role for (u,) in view._rows(select(ReportUrl))}
    archive = Archive(settings)
    try:
        for report, att in attachments:
            (rid,) = view.find(report)
            (version,) = [v for v in view.versions(rid) if v.status == "current"]
            answered = att.get("redirects_to") or att["url"]
            linked = [f for role, f in view.version_fetches(version.id) if role == "attachment"]
            (fetch,) = [f for f in linked if url_key(f.final_url) == url_key(answered)]
            assert (fetch.status, fetch.sha256) == (200, att["sha256"]), report["id"]
            assert hashlib.sha256(archive.read_blob(fetch.sha256)).hexdigest() == att["sha256"]
            # The link is one of the report's attachment URLs, never a page to revisit as one.
            assert roles[(rid, url_key(att["url"]))] == "attachment", report["id"]
            if att["link_form"] == "downfile302":
                # The gateway's answer is archived too: a 302 from the link, which names the file
                # (showname), to the file's own URL.
                (hop,) = [f for f in fetches if url_key(f.final_url) == url_key(att["url"])]
                location = {k.lower(): v for k, v in hop.response_headers or []}["location"]
                assert hop.status == 302 and url_key(urljoin(att["url"], location)) == url_key(answered)
                assert "附件：" + att["link_text"] in parse_qs(urlsplit(hop.url).query)["showname"]
                assert roles[(rid, url_key(answered))] == "attachment"
            if att["link_form"] == "downfile200":
                # No showname in the link: the name is the Content-Disposition the gateway sent, kept.
                assert fetch.url == fetch.final_url == att["url"]
                headers = {k.lower(): v for k, v in fetch.response_headers or []}
                name = headers["content-disposition"].split("filename*=UTF-8''", 1)[1]
                assert unquote(name) == att["link_text"]
    finally:
        archive.close()


def _crawl_day(env, mirror, scenarios):  # noqa: ANN001, ANN202
    mirror.switch(epoch=2025, scenarios=scenarios)
    mirror.reset()
    return crawl(env, *DAY_SOURCES)


def test_periodic_crawls_report_exactly_what_changed(fresh_archive, mirror) -> None:  # noqa: ANN001
    """Day 1 crawl; day 2: one new report, one corrected, silently replaced ones, one removed. `nianbao
    new` shows exactly those events, nothing else in the archive changed, and unchanged pages cost a 304."""
    database_url, data_dir = fresh_archive
    env = crawl_env(database_url, data_dir, mirror.proxy_url)
    mirror.config(slow_seconds=0.5)  # E24 is tested elsewhere; here every page answers in time
    view = ArchiveView(database_url)
    try:
        day1_manifest = mirror.switch(epoch=2025, scenarios=set())
        day1 = _crawl_day(env, mirror, set())
        assert day1.report is not None and not day1.report["blocked"], day1
        before = view.snapshot()
        manifest = mirror.switch(epoch=2025, scenarios={"new_report", "corrected", "replaced", "disappears"})
        day2 = _crawl_day(env, mirror, {"new_report", "corrected", "replaced", "disappears"})
        after = view.snapshot()
        day2_log = mirror.requests()
    finally:
        view.close()
        mirror.config(slow_seconds=6.0)

    # What the mirror changed between the two days, from its manifests (ground truth).
    hosts = {
        "kw.beijing.gov.cn",
        "www.bjmy.gov.cn",
        "www.bjdx.gov.cn",
        "www.bjhr.gov.cn",
        "www.ycjinfeng.gov.cn",
    }
    day1_reports = {r["id"]: r for r in day1_manifest["reports"] if r["host"] in hosts}
    by_id = {r["id"]: r for r in manifest["reports"] if r["host"] in hosts}
    published = [i for i in by_id if i not in day1_reports and not by_id[i]["supersedes"]]
    corrections = [i for i in by_id if i not in day1_reports and by_id[i]["supersedes"]]
    replaced = [
        i for i, r in by_id.items() if r["replaced"] and i in day1_reports and not day1_reports[i]["replaced"]
    ]
    removed = [
        i
        for i, r in by_id.items()
        if r["status"] == "gone" and day1_reports.get(i, {}).get("status") == "current"
    ]
    assert (len(published), len(corrections), len(removed)) == (1, 1, 1) and replaced
    expected = Counter(
        [("new_report", url_key(by_id[i]["canonical_url"])) for i in published]
        + [("corrected", url_key(by_id[i]["canonical_url"])) for i in corrections]
        + [("changed", url_key(by_id[i]["canonical_url"])) for i in replaced]
        + [("gone", url_key(by_id[i]["canonical_url"])) for i in removed]
    )
    proc = nianbao(env, "new", "--since-last-crawl", "--json")
    assert proc.returncode == 0, proc.stderr
    events = json.loads(proc.stdout)
    got = Counter((e["kind"], url_key(e["url"])) for e in events)
    assert got == expected, events
    text = nianbao(env, "new").stdout
    assert f"{sum(expected.values())} events since" in text and "corrected" in text
    everything = json.loads(nianbao(env, "new", "--since", "2000-01-01", "--json").stdout)
    assert len(everything) > len(events) and {e["id"] for e in events} <= {e["id"] for e in everything}
    # The Atom feed written after the crawl carries the same events.
    feed = (data_dir / "feeds" / "events.atom").read_text(encoding="utf-8")
    for event in events:
        assert f"urn:nianbao:event:{event['id']}<" in feed

    # Nothing else changed: every other report has the same URLs, versions and facts as after day 1.
    originals = [by_id[i]["supersedes"] for i in corrections]
    touched = {
        url_key(by_id[k]["canonical_url"])
        for k in [*published, *corrections, *originals, *replaced, *removed]
    }
    for key, report in before.items():
        if not set(report["urls"]) & touched:
            assert after[key] == report, key
    assert set(after) - set(before) == {k for k in after if set(after[k]["urls"]) & touched} - set(before)
    # The corrected report is one report: the correction current, the original kept as superseded.
    (corrected_key,) = [
        k for k, r in after.items() if url_key(by_id[corrections[0]]["canonical_url"]) in r["urls"]
    ]
    statuses = [v[0] for v in after[corrected_key]["versions"]]
    assert statuses.count("current") == 1 and "superseded" in statuses

    # Incremental: pages that did not change came back as 304s and cost a fraction of day 1's bytes.
    assert day2.report["counts"]["not_modified"] > 0.8 * day1.report["reports"]["seen"]
    assert day2.report["bytes"] < 0.25 * day1.report["bytes"]
    conditional = [e for e in day2_log if re.search(r"/t\d{8}_\d+\.html$", e["path"])]
    with_validators = [
        e for e in conditional if {"if-none-match", "if-modified-since"} & {k.lower() for k in e["headers"]}
    ]
    assert conditional and len(with_validators) > 0.8 * len(conditional)

    # E15: each silently replaced report keeps its day-1 version, superseded, with the day-1 facts; the
    # new one is current with the mirror's new facts; a changed attachment was fetched again and belongs
    # to the new version (the old bytes stay with the old one).
    view = ArchiveView(database_url)
    try:
        for i in replaced:
            old_report, new_report = day1_reports[i], by_id[i]
            (rid,) = view.find(new_report)
            versions = view.versions(rid)
            assert [(v.status, v.is_correction) for v in versions] == [
                ("superseded", False),
                ("current", False),
            ]
            old, new = versions
            assert old.run_id == day1.report["run_id"] and new.run_id == day2.report["run_id"]
            assert _fact_problems(view.facts(old.id), _expected_facts(old_report)) == [], i
            assert _fact_problems(view.facts(new.id), _expected_facts(new_report)) == [], i
            assert _expected_facts(old_report) != _expected_facts(new_report)
            old_links = {f.sha256 for role, f in view.version_fetches(old.id) if role == "attachment"}
            new_links = {f.sha256: f for role, f in view.version_fetches(new.id) if role == "attachment"}
            for before_att, att in zip(old_report["attachments"], new_report["attachments"], strict=True):
                assert url_key(before_att["url"]) == url_key(att["url"])
                assert before_att["sha256"] in old_links and att["sha256"] in new_links, (i, att["url"])
                if att["sha256"] != before_att["sha256"]:
                    fetch = new_links[att["sha256"]]
                    assert fetch.run_id == day2.report["run_id"] and fetch.status == 200
                    assert url_key(fetch.final_url) == url_key(att["url"])
                    assert before_att["sha256"] not in new_links
        changed_attachments = [
            i
            for i in replaced
            if {a["sha256"] for a in day1_reports[i]["attachments"]}
            != {a["sha256"] for a in by_id[i]["attachments"]}
        ]
        assert changed_attachments  # the scenario replaces an attachment too (kwzgc-2023's DOCX)
    finally:
        view.close()


def _expected_facts(report: dict) -> dict[str, float | None]:
    """The facts the mirror rendered for a report (as its page's parser reads them, when that differs)."""
    return report["expected_facts"].get("html") or report["facts"]


def _fact_problems(stored: dict, expected: dict) -> list[str]:
    problems = []
    for key, want in expected.items():
        got = stored.get(tuple(key.split("|")))
        if got is None:
            problems.append(f"missing {key}")
        elif (got[0] is None) != (want is None) or (
            want is not None and not math.isclose(got[0], want, abs_tol=1e-6)
        ):
            problems.append(f"{key}: {got[0]} != {want}")
    extra = [k for k in stored if "|".join(k) not in expected and k[0] in {x.split("|")[0] for x in expected}]
    return problems + [f"unexpected {'|'.join(k)}" for k in extra]


GONE_SOURCE = "bjdx"  # the mirror's `disappears` scenario takes down one of its reports (dxzfb-2024)
GONE_HOST = "www.bjdx.gov.cn"


def _missing_runs(view: ArchiveView) -> dict[int, int]:
    return {rid: n for rid, n in view._rows(select(Report.id, Report.missing_runs))}


def _gone_events(view: ArchiveView, run_id: int) -> list[int]:
    return [e.report_id for e in view.events(run_id) if e.kind == "gone"]


def _sigterm_half_way(env: dict[str, str], view: ArchiveView, until) -> int:  # noqa: ANN001
    """Start a crawl, stop it (SIGTERM: systemd's stop) as soon as `until(its fetches)` holds; returns
    its run id."""
    known_runs = {r.id for r in view.runs()}
    proc = start_crawl(env, GONE_SOURCE)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            assert proc.poll() is None, "the crawl ended before it was stopped"
            runs = [r.id for r in view.runs() if r.id not in known_runs]
            if runs and until(view.fetches(run_id=runs[0])):
                proc.send_signal(signal.SIGTERM)
                break
            time.sleep(0.02)
        proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    (run,) = [r for r in view.runs() if r.id not in known_runs]
    return run.id


def test_reports_go_gone_only_after_complete_crawls(fresh_archive, mirror) -> None:  # noqa: ANN001
    """Cron runs over days with NIANBAO_GONE_AFTER=2: runs while the host is down (503 on every page), runs
    while it answers with an anti-bot page, and a run stopped half-way, declare nothing gone and count
    nothing missing; a report taken down is `gone` at the next complete crawl, and only it; published
    again, it is current with `reappeared`."""
    database_url, data_dir = fresh_archive
    env = crawl_env(database_url, data_dir, mirror.proxy_url, NIANBAO_GONE_AFTER="2")
    mirror.config(slow_seconds=0.5)  # E24 (a bjdx page) is tested elsewhere
    view = ArchiveView(database_url)
    try:
        day1_manifest = mirror.switch(epoch=2025, scenarios=set())
        mirror.reset()
        day1 = crawl(env, GONE_SOURCE)
        assert day1.returncode == 0, day1
        ours = [r for r in day1_manifest["reports"] if r["host"] == GONE_HOST and r["discoverable"]]
        day1_status = {rid: r["status"] for rid, r in view.reports().items()}
        assert len(day1_status) >= 10 and set(day1_status.values()) == {"current"}
        assert not [r["id"] for r in ours if r["status"] == "current" and not view.find(r)]

        # Two days down for maintenance (503 on every page, robots.txt too; GONE_AFTER's worth of runs):
        # errors, the host named incomplete, and no report counted missing.
        mirror.fail(GONE_HOST, status=503)
        try:
            for _ in range(2):
                down = crawl(env, GONE_SOURCE)
                assert down.returncode == 1, down  # failed pages are errors
                assert down.report["reports"]["seen"] == 0  # the host really showed nothing
                assert {e["message"] for e in down.report["errors"]} == {"HTTP 503"}
                assert not [e for e in down.report["events"] if e["kind"] == "gone"]
                assert not _gone_events(view, down.report["run_id"])
                assert {rid: r["status"] for rid, r in view.reports().items()} == day1_status
                assert set(_missing_runs(view).values()) == {0}
                assert [i["host"] for i in down.report["incomplete"]] == [GONE_HOST]
                assert down.report["incomplete"][0]["lists_failed"] > 0
                assert f"INCOMPLETE {GONE_HOST}" in down.stdout
        finally:
            mirror.fail(GONE_HOST, None)
        # Back up: a normal run, and nothing changed.
        up = crawl(env, GONE_SOURCE)
        assert up.returncode == 0, up
        assert not up.report["incomplete"] and not view.events(up.report["run_id"])
        assert {rid: r["status"] for rid, r in view.reports().items()} == day1_status
        assert set(_missing_runs(view).values()) == {0}

        # Two days blocked (Ruishu 412 on every page): twice GONE_AFTER's worth of runs seeing nothing.
        mirror.block(GONE_HOST, "ruishu412")
        try:
            for _ in range(2):
                blocked = crawl(env, GONE_SOURCE)
                assert blocked.returncode == 2, blocked
                assert [b["host"] for b in blocked.report["blocked"]] == [GONE_HOST]
                assert blocked.report["reports"]["seen"] == 0  # the block really hid every page
                assert not [e for e in blocked.report["events"] if e["kind"] == "gone"]
                assert not _gone_events(view, blocked.report["run_id"])
                assert {rid: r["status"] for rid, r in view.reports().items()} == day1_status
                assert set(_missing_runs(view).values()) == {0}
        finally:
            mirror.block(GONE_HOST, None)

        # The report is taken down (its page answers 404, its list item is gone) ...
        manifest = mirror.switch(epoch=2025, scenarios={"disappears"})
        (taken_down,) = [r for r in manifest["reports"] if r["host"] == GONE_HOST and r["status"] == "gone"]
        (taken_down_id,) = view.find(taken_down)
        # ... and the next crawl is stopped half-way, once a report's page answered 304: not a complete
        # crawl, nothing gone or missing.
        pages = set(view.report_by_url())
        stopped = _sigterm_half_way(
            env, view, until=lambda fetches: any(f.status == 304 and url_key(f.url) in pages for f in fetches)
        )
        assert {r.id: r.status for r in view.runs()}[stopped] == "interrupted"
        assert not _gone_events(view, stopped)
        assert {rid: r["status"] for rid, r in view.reports().items()} == day1_status
        assert set(_missing_runs(view).values()) == {0}

        # Complete crawls with the report taken down: it, and only it, is gone (its page answers 404).
        delisted = crawl(env, GONE_SOURCE)
        assert delisted.returncode == 0, json.dumps(delisted.report["errors"], ensure_ascii=False)
        # It continues the stopped run: what that run archived, 304s included, is not fetched again.
        assert delisted.report["resumed_from"] == stopped
        assert delisted.report["counts"].get("resumed", 0) > 0
        assert _gone_events(view, delisted.report["run_id"]) == [taken_down_id]
        statuses = {rid: r["status"] for rid, r in view.reports().items()}
        assert statuses == {**day1_status, taken_down_id: "gone"}
        assert {rid for rid, n in _missing_runs(view).items() if n} <= {taken_down_id}

        # Published again: the same report, current again, with a `reappeared` event and no new version.
        mirror.switch(epoch=2025, scenarios=set())
        back = crawl(env, GONE_SOURCE)
        assert back.returncode == 0, back
        events = [(e.kind, e.report_id) for e in view.events(back.report["run_id"])]
        assert events == [("reappeared", taken_down_id)], events
        assert {rid: r["status"] for rid, r in view.reports().items()} == day1_status
        assert [v.status for v in view.versions(taken_down_id)] == ["current"]
        assert set(_missing_runs(view).values()) == {0}
    finally:
        view.close()
        mirror.config(slow_seconds=6.0)
