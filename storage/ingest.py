"""`nianbao ingest`: archive downloaded report files, then parse them into reports.

Each file becomes a fetch of its `file://` URI (a WARC `resource` record, a blob), then is parsed
with `parsers.parse` from the archived bytes and stored as a report version. Ingest is idempotent:
a path whose bytes were already archived is not archived again; the same bytes at another path add a
fetch (and a WARC `revisit`) but no blob and no version.

A file the parser rejects is still archived, and the reason is recorded on its fetch
(`parse_status = 'failed'`, `parse_error`); `nianbao reparse` retries it when the parser improves.
A file that cannot be archived at all (unreadable, empty, larger than `NIANBAO_MAX_FILE_BYTES`) is
reported and skipped; the others go on.

A killed ingest leaves nothing half-done (bytes are durable before rows are committed, see
`storage/archive.py`); running it again finishes what was missing, including parsing a file that
was archived just before the kill.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

import parsers
from parsers.errors import ParseError
from parsers.model import Document
from storage.archive import FILES_SOURCE, Archive, FetchRecord, Run
from storage.errors import InputRejected
from storage.models import ReportVersion
from storage.reports import StoredReport


@dataclass(slots=True)
class FileOutcome:
    path: str
    status: str  # archived | unchanged | rejected
    fetch_id: int | None = None
    new_blob: bool = False
    report: StoredReport | None = None
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    facts: int = 0
    parse_error: str | None = None
    message: str = ""


@dataclass(slots=True)
class IngestSummary:
    run_id: int
    outcomes: list[FileOutcome] = field(default_factory=list)
    warc_files: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def parse_failures(self) -> int:
        return sum(1 for o in self.outcomes if o.parse_error)

    @property
    def new_blobs(self) -> int:
        return sum(1 for o in self.outcomes if o.new_blob)

    def reports(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.report is not None and o.report.outcome == outcome)

    def stats(self) -> dict[str, int]:
        return {
            "files": len(self.outcomes),
            "archived": self.count("archived"),
            "unchanged": self.count("unchanged"),
            "rejected": self.count("rejected"),
            "new_blobs": self.new_blobs,
            "parse_failures": self.parse_failures,
            "new_reports": self.reports("new_report"),
            "new_versions": sum(
                self.reports(o) for o in ("new_version", "correction", "revised_in_run", "superseded_version")
            ),
        }


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path | InputRejected]:
    """Files named, and files under directories named (sorted, hidden entries skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield InputRejected(f"{path}: no such file or directory")


def ingest(
    archive: Archive,
    paths: Iterable[str | Path],
    *,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> IngestSummary:
    archive.ensure_writable()
    paths = [str(p) for p in paths]
    run = archive.open_run("ingest", source=FILES_SOURCE, args={"paths": paths})
    summary = IngestSummary(run.id)
    try:
        for item in iter_input_files(paths):
            if isinstance(item, InputRejected):
                outcome = FileOutcome(path=str(item).split(":", 1)[0], status="rejected", message=str(item))
            else:
                outcome = ingest_file(archive, run, item)
            summary.outcomes.append(outcome)
            if on_file is not None:
                on_file(outcome)
    except BaseException as exc:
        archive.close_run(run, status="failed", stats=summary.stats(), error=f"{type(exc).__name__}: {exc}")
        raise
    summary.warc_files = archive.close_run(run, stats=summary.stats())
    return summary


def ingest_file(archive: Archive, run: Run, path: Path) -> FileOutcome:
    try:
        fetch = archive.record_file(run, path)
    except InputRejected as exc:
        return FileOutcome(path=str(path), status="rejected", message=str(exc))
    outcome = FileOutcome(path=str(path), status="archived", fetch_id=fetch.id, new_blob=fetch.new_blob)
    if fetch.already_archived:
        row = archive.fetch_row(fetch.id)
        if row.parse_status is not None:
            outcome.status = "unchanged"
            outcome.message = "already archived"
            return outcome
        # Archived by a run that was killed before parsing it: finish the job.
    parse_into_report(archive, run, fetch, outcome)
    return outcome


def _known_document(archive: Archive, sha256: str) -> Document | None:
    """A document already parsed from these exact bytes by this parser version, if any."""
    with archive.db.session() as s:
        doc = s.scalar(
            select(ReportVersion.document)
            .where(ReportVersion.sha256 == sha256, ReportVersion.parser_version == parsers.__version__)
            .limit(1)
        )
    return Document.from_dict(doc) if doc else None


def parse_into_report(archive: Archive, run: Run, fetch: FetchRecord, outcome: FileOutcome) -> None:
    assert fetch.sha256 is not None
    doc = _known_document(archive, fetch.sha256)
    if doc is None:
        try:
            doc = parsers.parse(archive.read_blob(fetch.sha256), fetch.media_type, fetch.final_url)
        except ParseError as exc:
            archive.record_parse_error(fetch, exc)
            outcome.parse_error = f"{exc.kind}: {exc.reason}"
            outcome.message = f"archived, not parsed ({outcome.parse_error})"
            return
        except Exception as exc:  # a parser bug must not stop the ingest; the bytes are safe
            archive.record_parse_error(fetch, exc)
            outcome.parse_error = f"internal: {type(exc).__name__}: {exc}"
            outcome.message = f"archived, not parsed ({outcome.parse_error})"
            return
    stored = archive.store_report(run, doc, page=fetch)
    outcome.report = stored
    outcome.agency, outcome.year, outcome.template, outcome.facts = (
        doc.agency,
        doc.year,
        doc.template,
        len(doc.facts),
    )
    words = {
        "new_report": "new report",
        "new_version": "new version of report",
        "correction": "correction of report",
        "revised_in_run": "another version, found in this run, of report",
        "superseded_version": "earlier version, already replaced, of report",
        "unchanged": "same content as report",
    }[stored.outcome]
    outcome.message = (
        f"{words} #{stored.report_id} (version {stored.version_id}): {doc.agency or '?'} {doc.year or '?'}, "
        f"{doc.template or 'no template'}, {len(doc.facts)} facts"
    )
