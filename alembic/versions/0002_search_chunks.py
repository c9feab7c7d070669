"""Search: report text chunks with a CJK-bigram index (tsvector + GIN on PostgreSQL, FTS5 on SQLite).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    columns = [
        sa.Column("id", ID, primary_key=True),
        sa.Column("version_id", ID, sa.ForeignKey("report_version.id"), nullable=False),
        sa.Column("report_id", ID, sa.ForeignKey("report.id"), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("heading", sa.Text()),
        sa.Column("page", sa.Integer()),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("agency", sa.Text()),
        sa.Column("year", sa.Integer()),
        sa.Column("template", sa.String(20)),
    ]
    if postgres:
        # Built by the application from our bigram tokens (a tsvector literal), never by the server's parser.
        columns.append(sa.Column("tsv", postgresql.TSVECTOR(), nullable=False))
    op.create_table("chunk", *columns)
    op.create_index("ix_chunk_version_id", "chunk", ["version_id"])
    op.create_index("ix_chunk_order", "chunk", ["year", "report_id", "ordinal"])
    op.create_index("ix_chunk_agency", "chunk", ["agency"])
    if postgres:
        op.execute("CREATE INDEX ix_chunk_tsv ON chunk USING gin (tsv)")
    else:
        # rowid = chunk.id; the table holds the space-joined bigram tokens, unicode61 splits on the spaces.
        op.execute("CREATE VIRTUAL TABLE chunk_fts USING fts5(tokens, tokenize = 'unicode61')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE chunk_fts")
    op.drop_table("chunk")
