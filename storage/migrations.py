"""Alembic, configured from code: the migrations live in the repository's `alembic/` directory.

`upgrade(db)` / `downgrade(db, "-1")` are what `nianbao db upgrade|downgrade` run; `require_current(db)`
is what every other command runs first, so that an empty or outdated database gets a clear message
instead of a "no such table" traceback.
"""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DBAPIError

from alembic import command
from storage.db import Database
from storage.errors import SchemaNotReady, StorageError

ALEMBIC_DIR = Path(__file__).resolve().parent.parent / "alembic"


def alembic_config(db: Database | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ALEMBIC_DIR))
    if db is not None:
        cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    db.check_connection()
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _run(db: Database, action, revision: str) -> None:  # noqa: ANN001
    db.check_connection()
    cfg = alembic_config(db)
    try:
        with db.engine.connect() as conn:
            cfg.attributes["connection"] = conn
            action(cfg, revision)
            conn.commit()
    except DBAPIError as exc:
        raise StorageError(f"migration failed on {db.safe_url}: {exc.orig}") from exc


def upgrade(db: Database, revision: str = "head") -> None:
    _run(db, command.upgrade, revision)


def downgrade(db: Database, revision: str = "-1") -> None:
    _run(db, command.downgrade, revision)


def require_current(db: Database) -> None:
    """Raise SchemaNotReady unless the database is at the newest migration."""
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return
    if current is None:
        raise SchemaNotReady(
            f"the database at {db.safe_url} has no nianbao schema yet: run `nianbao db upgrade`"
        )
    raise SchemaNotReady(
        f"the database at {db.safe_url} is at schema revision {current}, this nianbao needs {head}: "
        "run `nianbao db upgrade`"
    )
