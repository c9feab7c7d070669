"""Ingest of downloaded files: archived with file:// provenance, parsed with the real parser."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.archive import Archive
from storage.ingest import ingest
from storage.models import Blob, Event, Fact, Fetch, Report, ReportUrl, ReportVersion
from storage.search import search

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"
SEED_REPORTS = {
    ("北京市科学技术委员会", 2018),
    ("北京市科学技术委员会、中关村科技园区管理委员会", 2024),
    ("北京市丰台区科学技术和信息化局", 2020),
    ("中关村科技园区管理委员会", 2020),
    ("金凤区科技局", 2018),
}


def counts(archive: Archive) -> dict[str, int]:
    with archive.db.session() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m))
            for m in (Blob, Fetch, Report, ReportVersion, Fact)
        }


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def test_ingest_the_seeds_parses_them_into_reports(archive, seeds):
    summary = ingest(archive, [seeds])
    assert summary.stats()["archived"] == 5 and summary.stats()["new_reports"] == 5
    with archive.db.session() as s:
        assert set(s.execute(select(Report.agency, Report.year)).all()) == SEED_REPORTS
        templates = dict(s.execute(select(Report.year, ReportVersion.template).join(ReportVersion)).all())
        assert templates[2024] == "T2021"
        urls = set(s.scalars(select(ReportUrl.url)))
        assert {p.resolve().as_uri() for p in seeds.iterdir()} == urls
    assert counts(archive)["fact"] > 500
    assert len(summary.warc_files) == 1


def test_ingest_twice_adds_no_blob_no_version_and_no_fetch(archive, seeds):
    ingest(archive, [seeds])
    before = counts(archive)
    second = ingest(archive, [seeds])
    assert second.stats()["unchanged"] == 5 and second.stats()["new_blobs"] == 0
    assert counts(archive) == before


def test_the_same_bytes_under_another_name_add_a_url_not_a_version(archive, seeds, tmp_path):
    ingest(archive, [seeds])
    before = counts(archive)
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(seeds / "001_18d99f3662ff5730.txt", other / "copy.txt")
    summary = ingest(archive, [other])
    (outcome,) = summary.outcomes
    assert outcome.status == "archived" and not outcome.new_blob and outcome.report.outcome == "unchanged"
    after = counts(archive)
    assert after["blob"] == before["blob"] and after["report_version"] == before["report_version"]
    assert after["fetch"] == before["fetch"] + 1
    with archive.db.session() as s:
        assert (other / "copy.txt").resolve().as_uri() in set(s.scalars(select(ReportUrl.url)))


def test_a_changed_file_is_a_new_version(archive, seeds):
    ingest(archive, [seeds])
    path = seeds / "003_84cb235bde863b6e.txt"
    text = path.read_text(encoding="utf-8")
    assert "一、总体情况" in text
    path.write_text(text.replace("一、总体情况", "一、总体情况\n本报告已更新。", 1), encoding="utf-8")
    summary = ingest(archive, [path])
    (outcome,) = summary.outcomes
    assert outcome.report.outcome == "new_version"
    with archive.db.session() as s:
        versions = s.scalars(
            select(ReportVersion).where(ReportVersion.report_id == outcome.report.report_id)
        ).all()
        assert sorted(v.status for v in versions) == ["current", "superseded"]


@pytest.mark.parametrize("names", [("a.txt", "b.txt"), ("b.txt", "a.txt")])
def test_an_original_and_its_correction_ingested_together_are_one_new_report(archive, tmp_path, names):
    """Whichever file comes first: one new report, the correction current, the original superseded."""
    text = (SEEDS / "003_84cb235bde863b6e.txt").read_text(encoding="utf-8")
    assert text.startswith("中关村科技园区管理委员会2020年\n政府信息公开工作年度报告\n")
    folder = tmp_path / "in"
    folder.mkdir()
    original, corrected = names
    (folder / original).write_text(text, encoding="utf-8")
    fixed = text.replace("政府信息公开工作年度报告\n", "政府信息公开工作年度报告（更正）\n", 1)
    (folder / corrected).write_text(
        fixed.replace("一、总体情况", "一、总体情况\n本报告已更正。", 1), encoding="utf-8"
    )
    summary = ingest(archive, [folder])
    assert summary.stats()["new_reports"] == 1 and summary.stats()["new_versions"] == 1
    assert all(o.message and "report #" in o.message for o in summary.outcomes)
    with archive.db.session() as s:
        versions = {v.status: v for v in s.scalars(select(ReportVersion))}
        assert set(versions) == {"current", "superseded"}
        assert "更正" in (versions["current"].title or "") and "更正" not in (
            versions["superseded"].title or ""
        )
        kinds = list(s.scalars(select(Event.kind).where(Event.report_id == versions["current"].report_id)))
        assert kinds == ["new_report"]


def test_files_the_parser_rejects_are_archived_with_the_reason(archive, tmp_path):
    junk = tmp_path / "notice.txt"
    junk.write_text("关于举办科技活动周的通知\n请各单位按时参加。\n", encoding="utf-8")
    summary = ingest(archive, [junk])
    (outcome,) = summary.outcomes
    assert outcome.status == "archived" and outcome.parse_error
    row = archive.fetch_row(outcome.fetch_id)
    assert row.parse_status == "failed" and row.parse_error and row.sha256
    assert archive.read_blob(row.sha256) == junk.read_bytes()
    # Already archived and already judged: a second ingest leaves it alone.
    assert ingest(archive, [junk]).outcomes[0].status == "unchanged"


def test_bad_inputs_are_rejected_and_the_rest_goes_on(archive, seeds, tmp_path):
    (seeds / "empty.pdf").write_bytes(b"")
    summary = ingest(archive, [seeds, tmp_path / "missing.docx"])
    by_status = {o.path: o.status for o in summary.outcomes}
    assert by_status[str(seeds / "empty.pdf")] == "rejected"
    assert by_status[str(tmp_path / "missing.docx")] == "rejected"
    assert summary.stats()["archived"] == 5 and summary.stats()["rejected"] == 2


def test_seeds_are_searchable_after_ingest(archive, seeds):
    ingest(archive, [seeds])
    result = search(archive.db, "信息公开", limit=100)
    assert {(h.agency, h.year) for h in result.hits} == SEED_REPORTS
    assert all(h.url and h.url.startswith("file://") for h in result.hits)
    assert search(archive.db, "金凤区", year=2018).hits
