"""Archive core: sources, runs, blobs, fetches, url state, reports, versions, facts, checks, events.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types (a migration must not change when storage/models.py does).
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)
JSONDOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _id() -> sa.Column:
    return sa.Column("id", ID, primary_key=True)


def _fk(name: str, target: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, ID, sa.ForeignKey(target), nullable=nullable)


# The researchers' view: every fact of every current version with its provenance.
FACT_CURRENT_VIEW = """
CREATE VIEW fact_current AS
SELECT r.id AS report_id, r.agency AS agency, r.year AS year, r.status AS report_status,
       v.id AS version_id, v.template AS template, v.parser_version AS parser_version,
       f.table_key AS table_key, f.row_key AS row_key, f.col_key AS col_key, f.value AS value,
       f.raw AS raw, f.label AS label, f.unit AS unit, f.page AS page,
       p.final_url AS source_url, p.fetched_at AS fetched_at, v.sha256 AS sha256,
       p.warc_file AS warc_file, p.warc_offset AS warc_offset, p.run_id AS crawl_run_id
FROM fact f
JOIN report_version v ON v.id = f.version_id
JOIN report r ON r.id = v.report_id
JOIN "fetch" p ON p.id = v.parsed_fetch_id
WHERE v.status = 'current'
"""


def upgrade() -> None:
    op.create_table(
        "source",
        _id(),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.Text()),
        sa.Column("agency", sa.Text()),
        sa.Column("base_url", sa.Text()),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "crawl_run",
        _id(),
        sa.Column("kind", sa.String(20), nullable=False),
        _fk("source_id", "source.id"),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("parser_version", sa.String(40)),
        sa.Column("args", JSONDOC),
        sa.Column("stats", JSONDOC),
        sa.Column("hostname", sa.String(255)),
        sa.Column("pid", sa.Integer()),
        sa.Column("error", sa.Text()),
    )
    op.create_table(
        "blob",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("stored_size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(200)),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "fetch",
        _id(),
        _fk("run_id", "crawl_run.id", nullable=False),
        _fk("source_id", "source.id"),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("status", sa.Integer()),
        sa.Column("request_headers", JSONDOC),
        sa.Column("response_headers", JSONDOC),
        sa.Column("fetched_at", TS, nullable=False),
        sa.Column("duration_ms", sa.Float()),
        sa.Column("size", sa.BigInteger()),
        sa.Column("wire_size", sa.BigInteger()),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("blob.sha256")),
        sa.Column("media_type", sa.String(200)),
        sa.Column("etag", sa.Text()),
        sa.Column("last_modified", sa.String(100)),
        sa.Column("referrer", sa.Text()),
        sa.Column("ip_address", sa.String(64)),
        sa.Column("warc_file", sa.String(255)),
        sa.Column("warc_offset", sa.BigInteger()),
        sa.Column("warc_length", sa.BigInteger()),
        sa.Column("warc_record_id", sa.String(100)),
        sa.Column("warc_record_type", sa.String(20)),
        sa.Column("payload_digest", sa.String(100)),
        _fk("revisit_of_id", "fetch.id"),
        sa.Column("error", sa.Text()),
        sa.Column("parse_status", sa.String(20)),
        sa.Column("parse_error", sa.Text()),
        sa.Column("parse_error_kind", sa.String(40)),
        sa.Column("parser_version", sa.String(40)),
        sa.Column("parsed_at", TS),
    )
    op.create_index("ix_fetch_url", "fetch", ["url"])
    op.create_index("ix_fetch_sha256", "fetch", ["sha256"])
    op.create_index("ix_fetch_payload_digest", "fetch", ["payload_digest"])
    op.create_index("ix_fetch_run_id", "fetch", ["run_id"])
    op.create_table(
        "url_state",
        _id(),
        sa.Column("url", sa.Text(), nullable=False, unique=True),
        _fk("source_id", "source.id"),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        sa.Column("last_changed", TS),
        sa.Column("etag", sa.Text()),
        sa.Column("last_modified", sa.String(100)),
        sa.Column("sha256", sa.String(64)),
        sa.Column("status", sa.Integer()),
        _fk("fetch_id", "fetch.id"),
    )
    op.create_table(
        "agency",
        _id(),
        sa.Column("name", sa.Text(), nullable=False, unique=True),
        sa.Column("first_seen", TS, nullable=False),
    )
    op.create_table(
        "report",
        _id(),
        _fk("source_id", "source.id", nullable=False),
        sa.Column("identity_key", sa.String(500), nullable=False),
        sa.Column("agency", sa.Text()),
        sa.Column("year", sa.Integer()),
        sa.Column("title", sa.Text()),
        sa.Column("canonical_url", sa.Text()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        _fk("last_seen_run_id", "crawl_run.id"),
        sa.Column("missing_runs", sa.Integer(), nullable=False),
        _fk("superseded_by_id", "report.id"),
        sa.UniqueConstraint("source_id", "identity_key", name="uq_report_identity"),
    )
    op.create_index("ix_report_agency_year", "report", ["agency", "year"])
    op.create_table(
        "report_url",
        _id(),
        _fk("report_id", "report.id", nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        _fk("last_fetch_id", "fetch.id"),
        sa.UniqueConstraint("report_id", "url", name="uq_report_url"),
    )
    op.create_table(
        "report_version",
        _id(),
        _fk("report_id", "report.id", nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content_key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("is_correction", sa.Boolean(), nullable=False),
        _fk("supersedes_id", "report_version.id"),
        _fk("parsed_fetch_id", "fetch.id", nullable=False),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("blob.sha256"), nullable=False),
        sa.Column("parser_version", sa.String(40), nullable=False),
        sa.Column("template", sa.String(20)),
        sa.Column("title", sa.Text()),
        sa.Column("agency", sa.Text()),
        sa.Column("year", sa.Integer()),
        sa.Column("document", JSONDOC, nullable=False),
        sa.Column("parsed_at", TS, nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        _fk("run_id", "crawl_run.id", nullable=False),
        sa.UniqueConstraint("report_id", "content_key", name="uq_report_version_content"),
    )
    op.create_index("ix_report_version_parser_version", "report_version", ["parser_version"])
    op.create_index(
        "ux_report_version_current",
        "report_version",
        ["report_id"],
        unique=True,
        sqlite_where=sa.text("status = 'current'"),
        postgresql_where=sa.text("status = 'current'"),
    )
    op.create_table(
        "report_version_fetch",
        sa.Column("version_id", ID, sa.ForeignKey("report_version.id"), primary_key=True),
        sa.Column("fetch_id", ID, sa.ForeignKey("fetch.id"), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
    )
    op.create_table(
        "fact",
        _id(),
        _fk("version_id", "report_version.id", nullable=False),
        sa.Column("table_key", sa.String(60), nullable=False),
        sa.Column("row_key", sa.String(300), nullable=False),
        sa.Column("col_key", sa.String(60), nullable=False),
        sa.Column("value", sa.Float()),
        sa.Column("raw", sa.Text()),
        sa.Column("label", sa.Text()),
        sa.Column("unit", sa.String(40)),
        sa.Column("page", sa.Integer()),
    )
    op.create_index("ix_fact_version_id", "fact", ["version_id"])
    op.create_index("ix_fact_key", "fact", ["table_key", "row_key", "col_key"])
    op.create_table(
        "check_result",
        _id(),
        _fk("version_id", "report_version.id", nullable=False),
        sa.Column("rule", sa.String(80), nullable=False),
        sa.Column("where", sa.String(300)),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("expected", sa.Float()),
        sa.Column("actual", sa.Float()),
        sa.Column("message", sa.Text()),
        sa.Column("origin", sa.String(20), nullable=False),
        _fk("other_version_id", "report_version.id"),
    )
    op.create_index("ix_check_result_version_id", "check_result", ["version_id"])
    op.create_table(
        "event",
        _id(),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        _fk("run_id", "crawl_run.id"),
        _fk("source_id", "source.id"),
        _fk("report_id", "report.id"),
        _fk("version_id", "report_version.id"),
        sa.Column("detail", JSONDOC),
    )
    op.create_index("ix_event_occurred_at", "event", ["occurred_at"])
    op.create_index("ix_event_report_id", "event", ["report_id"])
    op.execute(FACT_CURRENT_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW fact_current")
    for table in (
        "event",
        "check_result",
        "fact",
        "report_version_fetch",
        "report_version",
        "report_url",
        "report",
        "agency",
        "url_state",
        "fetch",
        "blob",
        "crawl_run",
        "source",
    ):
        op.drop_table(table)
