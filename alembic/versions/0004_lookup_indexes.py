"""Indexes for the lookups a crawl makes per report, which read whole tables without them.

- `report.identity_key`: a new report whose identity is stored under another source with the same
  content (one report on several sites) is looked up by identity and content key for every report stored;
- `report_version_fetch.fetch_id`: an unchanged report page is matched to the versions its fetch belongs to
  for every report of an incremental crawl;
- `report_url.url`: the report a URL belongs to (redirect targets at the end of a crawl).

Measured with the crawl benchmark: without them, storing a report and re-checking an unchanged one got
slower with every report in the archive.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_report_identity_key", "report", ["identity_key"]),
    ("ix_report_version_fetch_fetch_id", "report_version_fetch", ["fetch_id"]),
    ("ix_report_url_url", "report_url", ["url"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
