"""The date a report version's page says it was published, and where that date was read.

Researchers compare it with the deadline (31 January; 31 March before 2019); it is neither the
statistical year nor the time the crawler first saw the report (a re-published old report keeps its date).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both backends (SQLite >= 3.35 drops columns): a batch copy of the table would
# lose the partial unique index on its current version.
def upgrade() -> None:
    op.add_column("report_version", sa.Column("published", sa.Date(), nullable=True))
    op.add_column("report_version", sa.Column("published_from", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column("report_version", "published_from")
    op.drop_column("report_version", "published")
