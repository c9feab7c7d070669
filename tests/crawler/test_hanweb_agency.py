"""kw in epoch 2023 (Hanweb JCMS): the agency stored for each report is the manifest's, whatever the page
spells. Hanweb pages name the 来源 in short (中关村管委会, 市科委) and their <title> starts with the site
name (北京市科学技术委员会 政府信息公开年报 {title}), unlike the TRS pages of epoch 2025 (test_crawl_mirror.py).
"""

from __future__ import annotations

import pytest

from storage.reports import normalize_agency
from tests.crawler.harness import ArchiveView, crawl, crawl_env

pytestmark = pytest.mark.slow


def test_hanweb_reports_store_the_manifest_agency(fresh_archive, mirror) -> None:  # noqa: ANN001
    database_url, data_dir = fresh_archive
    manifest = mirror.switch(epoch=2023, scenarios=set())
    mirror.reset()
    try:
        result = crawl(crawl_env(database_url, data_dir, mirror.proxy_url), "kw")
    finally:
        mirror.switch(epoch=2025, scenarios=set())
    assert result.report is not None, result
    view = ArchiveView(database_url)
    try:
        reports = view.reports()
        current = {v.report_id: v for v in view.versions() if v.status == "current"}
        expected = [
            r
            for r in manifest["reports"]
            if r["host"] == "kw.beijing.gov.cn" and r["discoverable"] and r["status"] == "current"
        ]
        assert any("/art/" in r["canonical_url"] for r in expected)  # Hanweb pages, not TRS ones
        wrong, missing = [], []
        for report in expected:
            hits = view.find(report)
            if not hits:
                missing.append(report["id"])
            for rid in hits:
                stored = (reports[rid]["agency"], current[rid].agency)
                if any(normalize_agency(a or "") != normalize_agency(report["agency"]) for a in stored):
                    wrong.append((report["id"], stored, report["agency"]))
        assert not missing, missing
        assert not wrong, wrong
        agencies = {r["agency"] for r in expected}
        assert {
            "北京市科学技术委员会",
            "中关村科技园区管理委员会",
            "北京市科学技术委员会、中关村科技园区管理委员会",
        } <= agencies
    finally:
        view.close()
