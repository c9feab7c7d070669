"""`nianbao db upgrade | downgrade | current`: the schema, only through Alembic."""

from __future__ import annotations

import click

from cli.archive_context import reports_storage_errors


@click.group("db")
def db_group() -> None:
    """Create or migrate the archive's database (NIANBAO_DATABASE_URL, default SQLite under ./var)."""


def _database():  # noqa: ANN202
    from storage.db import Database
    from storage.settings import Settings

    return Database(Settings.from_env().database_url)


@db_group.command("upgrade")
@click.argument("revision", default="head")
@reports_storage_errors
def upgrade_cmd(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest). Safe to run again."""
    from storage import migrations

    db = _database()
    before = migrations.current_revision(db)
    migrations.upgrade(db, revision)
    after = migrations.current_revision(db)
    if before == after:
        click.echo(f"database {db.safe_url} is at revision {after} (nothing to do)")
    else:
        click.echo(f"database {db.safe_url} upgraded from {before or 'empty'} to {after}")
    db.dispose()


@db_group.command("downgrade")
@click.argument("revision", default="-1")
@reports_storage_errors
def downgrade_cmd(revision: str) -> None:
    """Undo migrations down to REVISION (default: one step back)."""
    from storage import migrations

    db = _database()
    before = migrations.current_revision(db)
    migrations.downgrade(db, revision)
    click.echo(
        f"database {db.safe_url} downgraded from {before} to {migrations.current_revision(db) or 'empty'}"
    )
    db.dispose()


@db_group.command("current")
@reports_storage_errors
def current_cmd() -> None:
    """Print the database's schema revision and the newest one this nianbao knows."""
    from storage import migrations

    db = _database()
    click.echo(f"database {db.safe_url}: revision {migrations.current_revision(db) or 'none (empty)'}")
    click.echo(f"newest revision: {migrations.head_revision()}")
    db.dispose()
