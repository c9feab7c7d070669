"""Search order: the newest chunks first, straight from an index on both backends.

PostgreSQL: an index that serves `ORDER BY year DESC NULLS LAST, report_id DESC, ordinal` as is, so a
common term is answered by walking it and stopping at the first hits instead of sorting them all.
SQLite: the FTS5 rowid becomes that order's key (`storage.search_index.order_key`) and the chunk id
moves to an UNINDEXED column, so FTS5 itself returns matches newest first and stops at the limit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _refill_sqlite_fts(with_order_key: bool) -> None:
    # The index must hold exactly what the running code would write, so it is rebuilt with the same
    # tokenizer (not a frozen copy of it).
    from storage.search_index import order_key
    from storage.tokens import fts5_document, search_tokens

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, year, report_id, ordinal, text FROM chunk")).all()
    for r in rows:
        tokens = fts5_document(search_tokens(r.text))
        if with_order_key:
            bind.execute(
                sa.text("INSERT INTO chunk_fts (rowid, tokens, chunk_id) VALUES (:k, :t, :id)"),
                {"k": order_key(r.year, r.report_id, r.ordinal), "t": tokens, "id": r.id},
            )
        else:
            bind.execute(
                sa.text("INSERT INTO chunk_fts (rowid, tokens) VALUES (:id, :t)"), {"id": r.id, "t": tokens}
            )


def upgrade() -> None:
    op.drop_index("ix_chunk_order", table_name="chunk")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_chunk_recent ON chunk (year DESC NULLS LAST, report_id DESC, ordinal)")
        return
    # SQLite sorts NULL first in ascending order, so DESC already puts them last.
    op.execute("CREATE INDEX ix_chunk_recent ON chunk (year DESC, report_id DESC, ordinal)")
    op.execute("DROP TABLE chunk_fts")
    op.execute(
        "CREATE VIRTUAL TABLE chunk_fts USING fts5(tokens, chunk_id UNINDEXED, tokenize = 'unicode61')"
    )
    _refill_sqlite_fts(with_order_key=True)


def downgrade() -> None:
    op.drop_index("ix_chunk_recent", table_name="chunk")
    op.create_index("ix_chunk_order", "chunk", ["year", "report_id", "ordinal"])
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE chunk_fts")
        op.execute("CREATE VIRTUAL TABLE chunk_fts USING fts5(tokens, tokenize = 'unicode61')")
        _refill_sqlite_fts(with_order_key=False)
