"""The archive's tables, as SQLAlchemy 2.0 typed models (the schema itself changes only through Alembic).

Provenance runs along foreign keys: `fact` -> `report_version` -> `fetch` (URL, time, headers, WARC
file and offset, `crawl_run`) -> `blob` (the exact bytes, by sha256). Nothing is deleted: a changed
report gets a new `report_version`, the old one is marked `superseded`; a report that disappears is
marked `gone`.

The search index columns (a `tsvector` on PostgreSQL, an FTS5 table on SQLite) are not mapped here:
they differ per backend and are written by `storage/search_index.py`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments an INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer(), "sqlite")
JsonDoc = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps are stored in UTC and always come back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Source(Base):
    """A site (or a family of URLs) we watch, and the agency behind it; `files` for imported files."""

    __tablename__ = "source"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="site")  # site | files
    name: Mapped[str | None] = mapped_column(Text)
    agency: Mapped[str | None] = mapped_column(Text)
    base_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CrawlRun(Base):
    """One crawl, ingest or reparse: every fetch and every stored version points at its run."""

    __tablename__ = "crawl_run"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # crawl | ingest | reparse
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")  # running | finished | failed
    parser_version: Mapped[str | None] = mapped_column(String(40))
    args: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    stats: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    hostname: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)


class Blob(Base):
    """Raw decoded bytes, content-addressed; the file is `blobs/ab/cd/<sha256>.zst`."""

    __tablename__ = "blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    stored_size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Fetch(Base):
    """One HTTP exchange or one imported file, with everything needed to trace bytes to their origin."""

    __tablename__ = "fetch"
    __table_args__ = (
        Index("ix_fetch_url", "url"),
        Index("ix_fetch_sha256", "sha256"),
        Index("ix_fetch_payload_digest", "payload_digest"),
        Index("ix_fetch_run_id", "run_id"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    url: Mapped[str] = mapped_column(Text)  # what was asked for (before redirects)
    final_url: Mapped[str] = mapped_column(Text)  # what answered (WARC-Target-URI)
    method: Mapped[str] = mapped_column(String(10), default="GET")
    status: Mapped[int | None] = mapped_column(Integer)  # HTTP status; None for a file or a network error
    request_headers: Mapped[list[list[str]] | None] = mapped_column(JsonDoc)
    response_headers: Mapped[list[list[str]] | None] = mapped_column(JsonDoc)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the same instant as WARC-Date
    duration_ms: Mapped[float | None] = mapped_column(Float)
    size: Mapped[int | None] = mapped_column(BigInteger)  # decoded body bytes
    wire_size: Mapped[int | None] = mapped_column(BigInteger)  # body bytes as received
    # The content this fetch stands for (for a 304 revisit: the unchanged earlier content).
    sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    media_type: Mapped[str | None] = mapped_column(String(200))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(100))
    referrer: Mapped[str | None] = mapped_column(Text)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    warc_file: Mapped[str | None] = mapped_column(String(255))
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)
    warc_length: Mapped[int | None] = mapped_column(BigInteger)
    warc_record_id: Mapped[str | None] = mapped_column(String(100))
    warc_record_type: Mapped[str | None] = mapped_column(String(20))  # response | revisit | resource
    payload_digest: Mapped[str | None] = mapped_column(String(100))  # WARC-Payload-Digest (sha1 base32)
    revisit_of_id: Mapped[int | None] = mapped_column(ForeignKey("fetch.id"))
    error: Mapped[str | None] = mapped_column(Text)  # a network or decoding error, as recorded
    parse_status: Mapped[str | None] = mapped_column(String(20))  # None (not a report) | parsed | failed
    parse_error: Mapped[str | None] = mapped_column(Text)
    parse_error_kind: Mapped[str | None] = mapped_column(String(40))
    parser_version: Mapped[str | None] = mapped_column(String(40))
    parsed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UrlState(Base):
    """What we last knew of a URL: validators for conditional GETs, and when it changed."""

    __tablename__ = "url_state"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_changed: Mapped[datetime | None] = mapped_column(UTCDateTime)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(100))
    sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)
    fetch_id: Mapped[int | None] = mapped_column(ForeignKey("fetch.id"))


class Agency(Base):
    """Every agency name a report was stored under (for filters and listings)."""

    __tablename__ = "agency"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Report(Base):
    """A logical report: one agency's report for one year within a source, whatever URLs it is at."""

    __tablename__ = "report"
    __table_args__ = (
        UniqueConstraint("source_id", "identity_key", name="uq_report_identity"),
        Index("ix_report_agency_year", "agency", "year"),
        Index("ix_report_identity_key", "identity_key"),  # the same report under another source
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    identity_key: Mapped[str] = mapped_column(String(500))
    agency: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="current")  # current | superseded | gone
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    missing_runs: Mapped[int] = mapped_column(Integer, default=0)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"))


class ReportUrl(Base):
    """Every URL a report was seen at (http/https twins, big5 gateway copies, re-posts, files)."""

    __tablename__ = "report_url"
    __table_args__ = (
        UniqueConstraint("report_id", "url", name="uq_report_url"),
        Index("ix_report_url_url", "url"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"))
    url: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20), default="page")  # page | attachment
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_fetch_id: Mapped[int | None] = mapped_column(ForeignKey("fetch.id"))


class ReportVersion(Base):
    """One distinct content of a report, parsed: the document JSON and where its bytes came from."""

    __tablename__ = "report_version"
    __table_args__ = (
        UniqueConstraint("report_id", "content_key", name="uq_report_version_content"),
        Index("ix_report_version_parser_version", "parser_version"),
        # At most one current version per report.
        Index(
            "ux_report_version_current",
            "report_id",
            unique=True,
            sqlite_where=text("status = 'current'"),
            postgresql_where=text("status = 'current'"),
        ),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, … within the report
    content_key: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="current")  # current | superseded
    is_correction: Mapped[bool] = mapped_column(Boolean, default=False)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("report_version.id"))
    parsed_fetch_id: Mapped[int] = mapped_column(ForeignKey("fetch.id"))
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))  # the bytes that were parsed
    parser_version: Mapped[str] = mapped_column(String(40))
    template: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(Text)
    agency: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    parsed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id"))
    # The date the report's page says it was published (PubDate meta, its date line, else its URL), and
    # which of those said it; none for an ingested file. Not the statistical year, not when we saw it.
    published: Mapped[date | None] = mapped_column(Date)
    published_from: Mapped[str | None] = mapped_column(String(8))


class ReportVersionFetch(Base):
    """The fetches a version came from: its page and its attachments."""

    __tablename__ = "report_version_fetch"
    __table_args__ = (Index("ix_report_version_fetch_fetch_id", "fetch_id"),)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_version.id"), primary_key=True)
    fetch_id: Mapped[int] = mapped_column(ForeignKey("fetch.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))  # page | attachment


class Fact(Base):
    """One printed cell of one report version (SCHEMA.md keys), for SQL across agencies and years."""

    __tablename__ = "fact"
    __table_args__ = (
        Index("ix_fact_version_id", "version_id"),
        Index("ix_fact_key", "table_key", "row_key", "col_key"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_version.id"))
    table_key: Mapped[str] = mapped_column(String(60))
    row_key: Mapped[str] = mapped_column(String(300))
    col_key: Mapped[str] = mapped_column(String(60))
    value: Mapped[float | None] = mapped_column(Float)
    raw: Mapped[str | None] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(40))
    page: Mapped[int | None] = mapped_column(Integer)


class CheckResult(Base):
    """One consistency rule at one place: from the parser, or `cross_year.carry` from the archive."""

    __tablename__ = "check_result"
    __table_args__ = (Index("ix_check_result_version_id", "version_id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_version.id"))
    rule: Mapped[str] = mapped_column(String(80))
    where: Mapped[str | None] = mapped_column(String(300))
    ok: Mapped[bool] = mapped_column(Boolean)
    expected: Mapped[float | None] = mapped_column(Float)
    actual: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(20), default="parser")  # parser | archive
    other_version_id: Mapped[int | None] = mapped_column(ForeignKey("report_version.id"))


class Event(Base):
    """Something an operator or a watcher wants to hear about: new, changed, corrected, gone, blocked."""

    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_occurred_at", "occurred_at"),
        Index("ix_event_report_id", "report_id"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("report_version.id"))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)


class Chunk(Base):
    """A piece of a current version's text (a section or part of one, at most ~2,000 characters).

    agency, year and template are copied from the report so that search filters need no join. The
    index that serves the search order (`ix_chunk_recent`, year DESC NULLS LAST) is created by
    migration 0003 and not declared here: its NULLS ordering is spelled differently per backend.
    """

    __tablename__ = "chunk"
    __table_args__ = (
        Index("ix_chunk_version_id", "version_id"),
        Index("ix_chunk_agency", "agency"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_version.id"))
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"))
    ordinal: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str | None] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    agency: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    template: Mapped[str | None] = mapped_column(String(20))


# Event kinds, in one place so that feeds and tests agree on the words.
EVENT_NEW_REPORT = "new_report"
EVENT_CHANGED = "changed"
EVENT_CORRECTED = "corrected"
EVENT_SUPERSEDED = "superseded"
EVENT_GONE = "gone"
EVENT_REAPPEARED = "reappeared"
EVENT_HOST_BLOCKED = "host_blocked"
EVENT_REPARSED = "reparsed"
EVENT_PARSE_FAILED = "parse_failed"
