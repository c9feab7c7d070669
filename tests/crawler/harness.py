"""Running the real `nianbao crawl` against the in-process mirror, and reading what it archived.

The crawl runs as a subprocess (Scrapy's reactor cannot be restarted inside the test process), configured
the production way: `http_proxy`/`https_proxy` point at the mirror, the database and data directory come
from the environment. Only the politeness timings are shortened (documented environment variables); the
spiders, the registry and every component are the production ones.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine

from crawler.urls import url_key
from storage.models import CrawlRun, Event, Fact, Fetch, Report, ReportUrl, ReportVersion, ReportVersionFetch

REPO = Path(__file__).resolve().parents[2]
NIANBAO = [sys.executable, "-m", "cli.main"]

# Timings for tests against the loopback mirror; production defaults stay polite (crawler/settings.py).
FAST = {
    "NIANBAO_CRAWL_DELAY": "0",
    "NIANBAO_AUTOTHROTTLE": "0",
    "NIANBAO_OBEY_CRAWL_DELAY": "0",
    "NIANBAO_DOWNLOAD_TIMEOUT": "4",
    "NIANBAO_RETRY_BACKOFF": "0.1",
    "NIANBAO_RETRY_AFTER_MAX": "3",
    "NIANBAO_PARSE_WORKERS": "1",
}
# The sites the mirror serves (www.yinchuan.gov.cn is in the registry but not mirrored).
MIRRORED_SOURCES = ["kw", "zgcgw", "beijing", "bjft", "bjmy", "bjdx", "bjhr", "bjxch", "ycjinfeng"]


def crawl_env(
    database_url: str, data_dir: Path, proxy: str, *, fast: bool = True, **extra: str
) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("NIANBAO_") and k.lower() not in ("http_proxy", "https_proxy", "no_proxy")
    }
    env.update(
        NIANBAO_DATABASE_URL=database_url,
        NIANBAO_DATA_DIR=str(data_dir),
        http_proxy=proxy,
        https_proxy=proxy,
        PYTHONPATH=str(REPO),
    )
    if fast:
        env.update(FAST)
    env.update(extra)
    return env


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str
    report: dict[str, Any] | None

    def __str__(self) -> str:
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr[-4000:]}"


def nianbao(env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NIANBAO, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )


def crawl(env: dict[str, str], *sources: str, timeout: float = 600) -> CrawlResult:
    args = ["crawl"]
    for s in sources:
        args += ["--source", s]
    proc = nianbao(env, *args, timeout=timeout)
    return CrawlResult(
        proc.returncode, proc.stdout, proc.stderr, latest_report(Path(env["NIANBAO_DATA_DIR"]))
    )


def latest_report(data_dir: Path) -> dict[str, Any] | None:
    path = data_dir / "runs" / "latest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def start_crawl(env: dict[str, str], *sources: str) -> subprocess.Popen[str]:
    args = ["crawl"]
    for s in sources:
        args += ["--source", s]
    return subprocess.Popen(
        [*NIANBAO, *args], env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def children_of(pid: int) -> list[int]:
    """Direct child processes of `pid` (from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return out


def kill_when(proc: subprocess.Popen[str], condition, timeout: float = 120) -> bool:  # noqa: ANN001
    """SIGKILL `proc` as soon as `condition()` holds; False if it ended first. The killed crawl's own
    worker processes are left to notice on their own (they must), and are listed in `proc.orphans`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if condition():
            proc.orphans = children_of(proc.pid)  # type: ignore[attr-defined]
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            return True
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    raise TimeoutError("the condition never held")


class ArchiveView:
    """Read-only questions about an archive, for assertions."""

    def __init__(self, database_url: str):
        from storage.db import create_db_engine

        self.engine: Engine = (
            create_db_engine(database_url) if "sqlite" in database_url else create_engine(database_url)
        )

    def close(self) -> None:
        self.engine.dispose()

    def _rows(self, q):  # noqa: ANN001, ANN202
        from sqlalchemy.orm import Session

        with Session(self.engine) as s:
            return s.execute(q).all()

    def reports(self) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        for (r,) in self._rows(select(Report)):
            out[r.id] = {
                "id": r.id,
                "agency": r.agency,
                "year": r.year,
                "title": r.title,
                "status": r.status,
                "canonical_url": r.canonical_url,
                "urls": set(),
                "first_seen": r.first_seen,
            }
        for (u,) in self._rows(select(ReportUrl)):
            out[u.report_id]["urls"].add(u.url)
        return out

    def report_by_url(self) -> dict[str, int]:
        """url_key -> report id, for every URL of every report."""
        return {url_key(u): rid for rid, r in self.reports().items() for u in r["urls"]}

    def find(self, manifest_report: dict[str, Any]) -> set[int]:
        """The archive reports holding any URL of a manifest report."""
        index = self.report_by_url()
        urls = [
            manifest_report["canonical_url"],
            *manifest_report.get("pages", []),
            *manifest_report.get("alt_urls", []),
        ]
        return {index[url_key(u)] for u in urls if url_key(u) in index}

    def versions(self, report_id: int | None = None) -> list[Any]:
        q = select(ReportVersion)
        if report_id is not None:
            q = q.where(ReportVersion.report_id == report_id)
        return [v for (v,) in self._rows(q.order_by(ReportVersion.id))]

    def facts(self, version_id: int) -> dict[tuple[str, str, str], tuple[float | None, str | None]]:
        return {
            (f.table_key, f.row_key, f.col_key): (f.value, f.unit)
            for (f,) in self._rows(select(Fact).where(Fact.version_id == version_id))
        }

    def fetches(self, url_like: str | None = None, run_id: int | None = None) -> list[Any]:
        q = select(Fetch)
        if url_like is not None:
            q = q.where(Fetch.url.like(url_like))
        if run_id is not None:
            q = q.where(Fetch.run_id == run_id)
        return [f for (f,) in self._rows(q.order_by(Fetch.id))]

    def version_fetches(self, version_id: int) -> list[tuple[str, Any]]:
        q = (
            select(ReportVersionFetch.role, Fetch)
            .join(Fetch, Fetch.id == ReportVersionFetch.fetch_id)
            .where(ReportVersionFetch.version_id == version_id)
        )
        return [(role, f) for role, f in self._rows(q)]

    def events(self, run_id: int | None = None) -> list[Any]:
        q = select(Event).order_by(Event.id)
        if run_id is not None:
            q = q.where(Event.run_id == run_id)
        return [e for (e,) in self._rows(q)]

    def runs(self) -> list[Any]:
        return [r for (r,) in self._rows(select(CrawlRun).order_by(CrawlRun.id))]

    def snapshot(self) -> dict[str, Any]:
        """What a crawl is judged on: reports (by their URLs), their versions and facts; not fetch rows."""
        reports = self.reports()
        snap: dict[str, Any] = {}
        for rid, r in reports.items():
            key = min(url_key(u) for u in r["urls"]) if r["urls"] else f"#{rid}"
            versions = []
            for v in self.versions(rid):
                versions.append((v.status, v.content_key, v.is_correction, sorted(self.facts(v.id).items())))
            snap[key] = {
                "agency": r["agency"],
                "year": r["year"],
                "status": r["status"],
                "urls": sorted(url_key(u) for u in r["urls"]),
                "versions": versions,
            }
        return snap

    def blob_shas_by_url(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for f in self.fetches():
            if f.sha256:
                out[url_key(f.final_url)].add(f.sha256)
        return out
