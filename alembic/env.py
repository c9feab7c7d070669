"""Alembic environment for nianbao, configured from code (`storage/migrations.py`), no alembic.ini.

`nianbao db upgrade` passes an open connection in `config.attributes["connection"]`; the plain
`alembic` command works too when given `-x url=...` or NIANBAO_DATABASE_URL.
"""

from __future__ import annotations

from alembic import context
from storage.db import create_db_engine
from storage.models import Base
from storage.settings import Settings

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables when a migration needs it.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_db_engine(url or Settings.from_env().database_url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("nianbao migrations run online only: use `nianbao db upgrade`")
run_migrations_online()
