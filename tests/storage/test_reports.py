"""Report identity, versions, events and cross-year checks (storage/reports.py) on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.archive import Archive, HttpExchange
from storage.models import CheckResult, Chunk, Event, Fact, Report, ReportUrl, ReportVersion
from tests.storage.helpers import carry_facts, make_document


def fetch_page(archive: Archive, run, url: str, body: str):  # noqa: ANN001, ANN201
    return archive.record_exchange(
        run,
        HttpExchange(
            url=url, status=200, response_headers=[("Content-Type", "text/html")], body=body.encode()
        ),
    )


def events(archive: Archive) -> list[tuple[str, int | None]]:
    with archive.db.session() as s:
        return [(e.kind, e.report_id) for e in s.scalars(select(Event).order_by(Event.id))]


def rows(archive: Archive, model, *where):  # noqa: ANN001, ANN201
    with archive.db.session() as s:
        out = list(s.scalars(select(model).where(*where)))
        s.expunge_all()
        return out


def test_a_new_report_gets_a_version_facts_checks_chunks_and_an_event(archive):
    run = archive.open_run("crawl", source="kw")
    f = fetch_page(archive, run, "https://kw.beijing.gov.cn/nb/2020.html", "<p>2020</p>")
    doc = make_document(
        "北京市测试局",
        2020,
        facts={
            ("applications", "new_received", "total"): 22,
            ("applications", "carried_over", "total"): None,
        },
    )
    stored = archive.store_report(run, doc, page=f)
    archive.close_run(run)
    assert stored.outcome == "new_report" and stored.identity_key == "北京市测试局|2020"
    (report,) = rows(archive, Report)
    assert (report.agency, report.year, report.status) == ("北京市测试局", 2020, "current")
    assert report.canonical_url == "https://kw.beijing.gov.cn/nb/2020.html"
    (version,) = rows(archive, ReportVersion)
    assert version.status == "current" and version.parsed_fetch_id == f.id and version.sha256 == f.sha256
    assert version.document["agency"] == "北京市测试局"
    facts = {(x.table_key, x.row_key, x.col_key): x.value for x in rows(archive, Fact)}
    assert facts == {
        ("applications", "new_received", "total"): 22,
        ("applications", "carried_over", "total"): None,
    }
    assert [c.rule for c in rows(archive, CheckResult)] == ["applications.balance"]
    chunks = rows(archive, Chunk)
    assert chunks[0].text == doc.title and {c.year for c in chunks} == {2020}
    assert events(archive) == [("new_report", report.id)]
    assert archive.fetch_row(f.id).parse_status == "parsed"


def test_the_same_content_at_other_urls_is_one_report_with_every_url(archive):
    run = archive.open_run("crawl", source="beijing")
    urls = [
        "https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/202503/t20250331_4050078.html",
        "http://www.beijing.gov.cn/gongkai/zfxxgk/gknb/202503/t20250331_4050078.html",
        "https://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/gongkai/zfxxgk/gknb/202503/t20250331_4050078.html",
    ]
    # The third copy's page differs outside the report body (a visit counter): same parsed content.
    results = [
        archive.store_report(run, make_document(), page=fetch_page(archive, run, url, f"<p>浏览次数 {i}</p>"))
        for i, url in enumerate(urls)
    ]
    archive.close_run(run)
    assert [r.outcome for r in results] == ["new_report", "unchanged", "unchanged"]
    assert len({r.report_id for r in results}) == 1 and len({r.version_id for r in results}) == 1
    assert sorted(u.url for u in rows(archive, ReportUrl)) == sorted(urls)
    assert len(rows(archive, ReportVersion)) == 1
    assert [k for k, _ in events(archive)] == ["new_report"]


def test_new_content_is_a_new_version_with_a_changed_event_listing_the_facts(archive):
    run = archive.open_run("crawl", source="kw")
    url = "https://kw.beijing.gov.cn/nb/2021.html"
    first = archive.store_report(
        run,
        make_document(facts={("applications", "new_received", "total"): 131}),
        page=fetch_page(archive, run, url, "v1"),
    )
    archive.close_run(run)
    run = archive.open_run("crawl", source="kw")  # the next crawl sees new content
    second = archive.store_report(
        run,
        make_document(facts={("applications", "new_received", "total"): 154}),
        page=fetch_page(archive, run, url, "v2"),
    )
    archive.close_run(run)
    assert second.outcome == "new_version" and second.report_id == first.report_id
    old, new = sorted(rows(archive, ReportVersion), key=lambda v: v.number)
    assert (old.status, new.status) == ("superseded", "current") and new.supersedes_id == old.id
    assert not new.is_correction
    with archive.db.session() as s:
        ev = s.scalars(select(Event).where(Event.kind == "changed")).one()
        assert ev.detail["previous_version_id"] == old.id
        assert ev.detail["fact_changes"] == [
            {"table": "applications", "row": "new_received", "col": "total", "old": 131, "new": 154}
        ]
        # Search holds the current version only; facts of both versions are kept.
        assert set(s.scalars(select(Chunk.version_id))) == {new.id}
        assert s.scalar(select(func.count()).select_from(Fact).where(Fact.version_id == old.id)) == 1


def test_a_title_with_gengzheng_is_a_correction(archive):
    run = archive.open_run("crawl", source="kw")
    archive.store_report(run, make_document(), page=fetch_page(archive, run, "https://a.gov.cn/1", "v1"))
    archive.close_run(run)
    run = archive.open_run("crawl", source="kw")
    doc = make_document(
        title="北京市测试局2020年政府信息公开工作年度报告（更正）",
        facts={("applications", "new_received", "total"): 23},
    )
    stored = archive.store_report(run, doc, page=fetch_page(archive, run, "https://a.gov.cn/2", "v2"))
    archive.close_run(run)
    assert stored.outcome == "correction"
    assert [k for k, _ in events(archive)] == ["new_report", "corrected"]
    current = [v for v in rows(archive, ReportVersion) if v.status == "current"]
    assert len(current) == 1 and current[0].is_correction


@pytest.mark.parametrize("original_first", [True, False])
def test_an_original_and_its_correction_in_one_run_are_one_new_report_in_either_order(
    archive, original_first: bool
):
    """A first crawl meets both pages of E14 (the original saying 本报告已更正, and the 更正) in whatever order
    its responses come back: either way the report is new once, the correction is current, the original
    superseded, and no `corrected` event (nobody was told of the original before)."""
    run = archive.open_run("crawl", source="bjhr")
    original = make_document("北京市测试局", 2021, facts={("applications", "new_received", "total"): 22})
    correction = make_document(
        "北京市测试局",
        2021,
        title="北京市测试局2021年政府信息公开工作年度报告（更正）",
        facts={("applications", "new_received", "total"): 23},
    )

    def store(doc, url: str, **kwargs):  # noqa: ANN001, ANN202
        return archive.store_report(run, doc, page=fetch_page(archive, run, url, url), **kwargs)

    pages = [
        lambda: store(original, "https://a.gov.cn/t1.html", superseded=True),
        lambda: store(correction, "https://a.gov.cn/t2.html"),
    ]
    stored = [p() for p in (pages if original_first else pages[::-1])]
    archive.close_run(run)
    assert [s.outcome for s in stored] == (
        ["new_report", "revised_in_run"] if original_first else ["new_report", "superseded_version"]
    )
    (report,) = rows(archive, Report)
    assert events(archive) == [("new_report", report.id)]
    assert "更正" in report.title and report.canonical_url == "https://a.gov.cn/t2.html"
    by_status = {v.status: v for v in rows(archive, ReportVersion)}
    assert set(by_status) == {"current", "superseded"}
    assert by_status["current"].is_correction and "更正" in by_status["current"].title
    assert "更正" not in by_status["superseded"].title
    (announced,) = rows(archive, Event)
    assert announced.version_id == by_status["current"].id
    assert announced.detail == {"url": "https://a.gov.cn/t2.html"}
    facts = {(x.version_id, x.value) for x in rows(archive, Fact)}
    assert (by_status["current"].id, 23) in facts
    # Search finds the correction only.
    with archive.db.session() as s:
        assert set(s.scalars(select(Chunk.version_id))) == {by_status["current"].id}


def test_a_caller_can_name_the_version_a_report_supersedes(archive):
    """E.g. a report republished under a new agency name that replaces the old one."""
    run = archive.open_run("crawl", source="kw")
    old = archive.store_report(
        run, make_document("旧名称局", 2020), page=fetch_page(archive, run, "https://a/1", "a")
    )
    new = archive.store_report(
        run,
        make_document("新名称局", 2020),
        page=fetch_page(archive, run, "https://a/2", "b"),
        supersedes_version_id=old.version_id,
    )
    archive.close_run(run)
    assert new.outcome == "new_report" and new.report_id != old.report_id
    reports = {r.id: r for r in rows(archive, Report)}
    assert reports[old.report_id].status == "superseded"
    assert reports[old.report_id].superseded_by_id == new.report_id
    assert ("superseded", old.report_id) in events(archive)


def test_missing_reports_become_gone_after_several_runs_and_can_reappear(archive):
    run = archive.open_run("crawl", source="kw")
    kept = archive.store_report(
        run, make_document("甲局", 2020), page=fetch_page(archive, run, "https://a/1", "1")
    )
    lost = archive.store_report(
        run, make_document("乙局", 2020), page=fetch_page(archive, run, "https://a/2", "2")
    )
    archive.close_run(run)
    for _ in range(3):
        run = archive.open_run("crawl", source="kw")
        archive.store_report(
            run, make_document("甲局", 2020), page=fetch_page(archive, run, "https://a/1", "1")
        )
        gone = archive.sweep_missing(run, "kw", gone_after=3)
        archive.close_run(run)
    assert gone == [lost.report_id]
    status = {r.id: r.status for r in rows(archive, Report)}
    assert status == {kept.report_id: "current", lost.report_id: "gone"}
    assert ("gone", lost.report_id) in events(archive)
    # Never deleted: its version and facts are still there; and it can come back.
    assert any(v.report_id == lost.report_id for v in rows(archive, ReportVersion))
    run = archive.open_run("crawl", source="kw")
    back = archive.store_report(
        run, make_document("乙局", 2020), page=fetch_page(archive, run, "https://a/2b", "2")
    )
    archive.close_run(run)
    assert back.outcome == "unchanged" and ("reappeared", lost.report_id) in events(archive)
    assert {r.id: r.status for r in rows(archive, Report)}[lost.report_id] == "current"


def test_spared_reports_are_not_counted_missing(archive):
    """A report the run could not check (its page failed: 5xx, timeout) is neither seen nor missing."""
    run = archive.open_run("crawl", source="kw")
    unknown = archive.store_report(
        run, make_document("甲局", 2020), page=fetch_page(archive, run, "https://a/1", "1")
    )
    lost = archive.store_report(
        run, make_document("乙局", 2020), page=fetch_page(archive, run, "https://a/2", "2")
    )
    archive.close_run(run)
    for _ in range(2):
        run = archive.open_run("crawl", source="kw")
        gone = archive.sweep_missing(run, "kw", gone_after=2, spare={unknown.report_id})
        archive.close_run(run)
    assert gone == [lost.report_id]
    reports = {r.id: r for r in rows(archive, Report)}
    assert (reports[unknown.report_id].status, reports[unknown.report_id].missing_runs) == ("current", 0)
    assert reports[lost.report_id].status == "gone"


def test_cross_year_carry_is_checked_both_ways(archive):
    run = archive.open_run("crawl", source="kw")
    # 2021 arrives first: nothing to compare with yet.
    y2021 = archive.store_report(
        run,
        make_document("北京市测试局", 2021, facts=carry_facts(5, 2)),
        page=fetch_page(archive, run, "https://a/2021", "2021"),
    )
    assert not rows(archive, CheckResult, CheckResult.rule == "cross_year.carry")
    # 2020 arrives: its carried_forward (4) is compared with 2021's carried_over (5) on 2021's version.
    y2020 = archive.store_report(
        run,
        make_document("北京市测试局", 2020, facts=carry_facts(0, 4)),
        page=fetch_page(archive, run, "https://a/2020", "2020"),
    )
    checks = rows(archive, CheckResult, CheckResult.rule == "cross_year.carry")
    assert {(c.version_id, c.where, c.ok, c.expected, c.actual) for c in checks} == {
        (y2021.version_id, "total", False, 4, 5),
        (y2021.version_id, "natural_person", False, 4, 5),
    }
    assert all(c.origin == "archive" and c.other_version_id == y2020.version_id for c in checks)
    assert "2021年上年结转 5，2020年结转下年度 4" in checks[0].message
    # 2021 is corrected to carry 4 over: the check now passes and the old results are replaced.
    archive.store_report(
        run,
        make_document(
            "北京市测试局",
            2021,
            title="北京市测试局2021年政府信息公开工作年度报告（更正）",
            facts=carry_facts(4, 2),
        ),
        page=fetch_page(archive, run, "https://a/2021c", "2021c"),
    )
    archive.close_run(run)
    checks = rows(archive, CheckResult, CheckResult.rule == "cross_year.carry")
    current_2021 = [v.id for v in rows(archive, ReportVersion) if v.year == 2021 and v.status == "current"]
    assert {(c.version_id, c.ok) for c in checks if c.version_id in current_2021} == {(current_2021[0], True)}


def test_a_document_without_agency_or_year_is_identified_by_its_content(archive):
    run = archive.open_run("crawl", source="kw")
    doc = make_document(None, None, title="某单位年度报告")
    a = archive.store_report(run, doc, page=fetch_page(archive, run, "https://a/x", "x"))
    b = archive.store_report(run, doc, page=fetch_page(archive, run, "https://a/y", "y"))
    archive.close_run(run)
    assert a.identity_key.startswith("content:") and b.report_id == a.report_id and b.outcome == "unchanged"


def test_attachments_are_linked_and_part_of_the_content(archive):
    run = archive.open_run("crawl", source="kw")
    page_fetch = fetch_page(archive, run, "https://a/nb.html", "<a href=P0.pdf>")
    pdf = archive.record_exchange(
        run,
        HttpExchange(
            url="https://a/P0.pdf",
            status=200,
            response_headers=[("Content-Type", "application/pdf")],
            body=b"%PDF-1.4 first",
        ),
    )
    first = archive.store_report(run, make_document(), page=page_fetch, attachments=[pdf], parsed=pdf)
    archive.close_run(run)
    run = archive.open_run("crawl", source="kw")
    pdf2 = archive.record_exchange(
        run,
        HttpExchange(
            url="https://a/P0.pdf",
            status=200,
            response_headers=[("Content-Type", "application/pdf")],
            body=b"%PDF-1.4 second",
        ),
    )
    xls = archive.record_exchange(
        run,
        HttpExchange(url="https://a/W0.xls", status=200, response_headers=[], body=b"\xd0\xcf\x11\xe0 sheet"),
    )
    second = archive.store_report(run, make_document(), page=page_fetch, attachments=[pdf2, xls], parsed=pdf2)
    archive.close_run(run)
    # Same parsed content, but a new attachment: a new version.
    assert first.outcome == "new_report" and second.outcome == "new_version"
    urls = {u.url: u.role for u in rows(archive, ReportUrl)}
    assert urls == {
        "https://a/nb.html": "page",
        "https://a/P0.pdf": "attachment",
        "https://a/W0.xls": "attachment",
    }
    v2 = [v for v in rows(archive, ReportVersion) if v.id == second.version_id][0]
    assert v2.parsed_fetch_id == pdf2.id and v2.sha256 == pdf2.sha256


def test_parse_errors_are_recorded_on_the_fetch(archive):
    from parsers.errors import ParseError

    run = archive.open_run("crawl", source="kw")
    f = fetch_page(archive, run, "https://a/scan.pdf", "%PDF scanned")
    archive.record_parse_error(
        f, ParseError("a scanned document: 3 pages without a text layer", kind="needs_ocr")
    )
    archive.close_run(run)
    row = archive.fetch_row(f.id)
    assert (row.parse_status, row.parse_error_kind) == ("failed", "needs_ocr")
    assert "without a text layer" in row.parse_error and row.parser_version


def test_host_blocked_events(archive):
    run = archive.open_run("crawl", source="kw")
    archive.record_host_blocked(run, "www.bjft.gov.cn", {"status": 521, "signature": "jiasule"})
    archive.close_run(run)
    with archive.db.session() as s:
        ev = s.scalars(select(Event)).one()
        assert ev.kind == "host_blocked" and ev.detail == {
            "host": "www.bjft.gov.cn",
            "status": 521,
            "signature": "jiasule",
        }
        assert ev.run_id == run.id
