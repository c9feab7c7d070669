"""A crawl killed with SIGKILL half-way, then started again, leaves the archive one uninterrupted crawl
would have left: the same reports, versions and facts, no duplicate blob, readable WARC files; and the
second crawl fetches nothing again that the killed one had archived, list pages apart."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.urls import url_key
from tests.conftest import _migrate, create_postgres_database, drop_postgres_database
from tests.crawler.harness import ArchiveView, crawl, crawl_env, kill_when, start_crawl

pytestmark = pytest.mark.slow

SOURCES = ["kw", "bjmy", "bjhr"]
WARCIO = str(Path(sys.executable).with_name("warcio"))
LIST_PAGE = re.compile(r"(?:/|/(?:index|list)(?:_\d+)?\.s?html|/robots\.txt|dataproxy\.jsp)$")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_archives(request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201
    """Two empty archives on the same backend: one for the uninterrupted crawl, one for the killed one."""
    archives, pg_urls = [], []
    for name in ("whole", "killed"):
        directory = tmp_path / name
        directory.mkdir()
        if request.param == "sqlite":
            url = f"sqlite:///{directory / 'nianbao.db'}"
        else:
            url = create_postgres_database(name[0])
            pg_urls.append(url)
        _migrate(url)
        (directory / "data").mkdir()
        archives.append((url, directory / "data"))
    try:
        yield archives
    finally:
        for url in pg_urls:
            drop_postgres_database(url)


def test_sigkill_then_resume_equals_one_uninterrupted_crawl(two_archives, mirror) -> None:  # noqa: ANN001
    (whole_url, whole_data), (killed_url, killed_data) = two_archives
    mirror.switch(epoch=2025, scenarios=set())

    # The reference: one uninterrupted crawl.
    mirror.reset()
    reference = crawl(crawl_env(whole_url, whole_data, mirror.proxy_url), *SOURCES)
    assert reference.report is not None, reference

    # The same crawl, killed with SIGKILL once a third of its exchanges are archived, then run again.
    env = crawl_env(killed_url, killed_data, mirror.proxy_url)
    view = ArchiveView(killed_url)
    try:
        mirror.reset()
        target = reference.report["pages"] // 3
        proc = start_crawl(env, *SOURCES)
        assert kill_when(proc, lambda: len(view.fetches()) >= target), "the crawl ended before it was killed"
        # Its parse/store workers exit on their own once their parent is gone.
        assert proc.orphans
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() for pid in proc.orphans) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in proc.orphans if Path(f"/proc/{pid}").exists()]
        killed_run = view.runs()[-1].id
        archived = {url_key(f.final_url) for f in view.fetches(run_id=killed_run) if f.status is not None}
        assert archived and len(view.reports()) < reference.report["reports"]["new"]
        mirror.reset()
        resumed = crawl(env, *SOURCES)
        second_log = mirror.requests()
        assert resumed.report["resumed_from"] == killed_run
        assert resumed.report["counts"]["resumed"] > 0

        # Nothing archived by the killed run was fetched again, list pages apart.
        refetched = [
            f"{e['scheme']}://{e['host']}{e['path']}"
            for e in second_log
            if url_key(f"{e['scheme']}://{e['host']}{e['path']}") in archived
            and not LIST_PAGE.search(e["path"])
        ]
        assert refetched == []

        # The same archive as the uninterrupted crawl.
        whole_view = ArchiveView(whole_url)
        try:
            assert view.snapshot() == whole_view.snapshot()
            assert len({f.sha256 for f in view.fetches() if f.sha256}) == len(
                {f.sha256 for f in whole_view.fetches() if f.sha256}
            )
        finally:
            whole_view.close()
    finally:
        view.close()

    # No duplicate or partial blob, and every WARC file (the killed run's, recovered, included) checks.
    blobs = [p for p in (killed_data / "blobs").rglob("*") if p.is_file()]
    assert len(blobs) == len({p.name for p in blobs}) and all(p.name.endswith(".zst") for p in blobs)
    warcs = sorted((killed_data / "warc").glob("*"))
    assert warcs and all(p.name.endswith(".warc.gz") for p in warcs)
    proc = subprocess.run([WARCIO, "check", *map(str, warcs)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len({urlsplit(str(p)).path for p in warcs}) >= 2  # the killed run's file and the resumed run's
