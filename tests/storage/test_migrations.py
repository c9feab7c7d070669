"""The schema only through Alembic, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from storage import migrations
from storage.db import Database
from storage.errors import DatabaseLocaleError, DatabaseUnavailable, SchemaNotReady
from storage.models import Base
from storage.search_index import FTS_TABLE
from tests.conftest import create_postgres_database, drop_postgres_database

CORE_TABLES = {
    "source",
    "crawl_run",
    "blob",
    "fetch",
    "url_state",
    "agency",
    "report",
    "report_url",
    "report_version",
    "report_version_fetch",
    "fact",
    "check_result",
    "event",
}


def _tables(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_downgrade_one_step_and_upgrade_again(empty_database_url):
    db = Database(empty_database_url)
    try:
        with pytest.raises(SchemaNotReady, match="run `nianbao db upgrade`"):
            migrations.require_current(db)
        migrations.upgrade(db)
        assert migrations.current_revision(db) == migrations.head_revision()
        migrations.require_current(db)
        assert CORE_TABLES | {"chunk"} <= _tables(db)

        previous = migrations.head_revision().rjust(4, "0")
        previous = f"{int(previous) - 1:04d}"
        migrations.downgrade(db, "-1")
        assert migrations.current_revision(db) == previous
        with pytest.raises(SchemaNotReady, match=f"is at schema revision {previous}"):
            migrations.require_current(db)

        migrations.upgrade(db)
        assert migrations.current_revision(db) == migrations.head_revision()
        assert CORE_TABLES | {"chunk"} <= _tables(db)
        migrations.downgrade(db, "base")
        assert _tables(db) == set()
    finally:
        db.dispose()


def _ignore_backend_search_objects(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    # The search index differs per backend and is not mapped (storage/search_index.py).
    if type_ == "table" and name and name.startswith(FTS_TABLE):
        return False
    if type_ == "index" and name in ("ix_chunk_tsv", "ix_chunk_recent"):
        return False
    return not (type_ == "column" and name == "tsv")


def test_models_match_the_migrated_schema(database_url):
    """A change to storage/models.py without a migration fails here."""
    engine = Database(database_url).engine
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": _ignore_backend_search_objects}
            )
            diffs = compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()
    assert diffs == []


def test_the_researchers_view_of_current_facts_exists(database_url):
    db = Database(database_url)
    try:
        with db.engine.connect() as conn:
            cols = conn.execute(text("SELECT * FROM fact_current")).keys()
        assert {
            "agency",
            "year",
            "table_key",
            "row_key",
            "col_key",
            "value",
            "source_url",
            "warc_file",
        } <= set(cols)
    finally:
        db.dispose()


def test_unreachable_database_is_named_without_its_password():
    db = Database("postgresql://nianbao:s3cret-pw@127.0.0.1:1/archive")
    with pytest.raises(DatabaseUnavailable) as err:
        db.check_connection()
    message = str(err.value)
    assert "s3cret-pw" not in message
    assert "cannot connect to the database at postgresql+psycopg://nianbao:***@127.0.0.1:1/archive" in message
    db.dispose()


def test_sqlite_in_a_directory_that_cannot_exist(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(DatabaseUnavailable, match="cannot create the directory"):
        Database(f"sqlite:///{blocker}/sub/nianbao.db")


@pytest.mark.postgres
def test_postgres_database_without_utf8_ctype_is_refused():
    url = create_postgres_database("c")
    name = url.rsplit("/", 1)[1]
    c_url = url.rsplit("/", 1)[0] + "/" + name + "_c"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(
                text(
                    f"CREATE DATABASE \"{name}_c\" TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C' LC_COLLATE 'C'"
                )
            )
        db = Database(c_url)
        with pytest.raises(DatabaseLocaleError, match="LC_CTYPE 'C'.*UTF-8"):
            db.check_connection()
        with pytest.raises(DatabaseLocaleError):
            migrations.upgrade(db)
        db.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_c" WITH (FORCE)'))
        admin.dispose()
        drop_postgres_database(url)


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 10_000
    db.dispose()


def test_upgrading_an_archive_with_data_keeps_it_searchable(empty_database_url):
    """0003 rebuilds SQLite's FTS table in the new layout from the chunks already there."""
    from datetime import UTC, datetime

    from storage.search import search
    from storage.tokens import fts5_document, search_tokens

    db = Database(empty_database_url)
    try:
        migrations.upgrade(db, "0002")
        now = datetime.now(UTC)
        text_ = "本年度未发生行政复议案件。"
        with db.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO source (id, key, kind, created_at) VALUES (1, 's', 'site', :t)"), {"t": now}
            )
            conn.execute(
                text(
                    "INSERT INTO crawl_run (id, kind, started_at, status) VALUES (1, 'crawl', :t, 'finished')"
                ),
                {"t": now},
            )
            conn.execute(text("INSERT INTO blob VALUES (:s, 1, 1, NULL, :t)"), {"s": "0" * 64, "t": now})
            conn.execute(
                text(
                    'INSERT INTO "fetch" (id, run_id, url, final_url, method, fetched_at, sha256) '
                    "VALUES (1, 1, 'https://a/', 'https://a/', 'GET', :t, :s)"
                ),
                {"t": now, "s": "0" * 64},
            )
            conn.execute(
                text(
                    "INSERT INTO report (id, source_id, identity_key, agency, year, title, status, first_seen, "
                    "last_seen, missing_runs) VALUES (1, 1, 'a|2020', '测试局', 2020, '测试局2020年报', 'current', "
                    ":t, :t, 0)"
                ),
                {"t": now},
            )
            conn.execute(
                text(
                    "INSERT INTO report_version (id, report_id, number, content_key, status, is_correction, "
                    "parsed_fetch_id, sha256, parser_version, document, parsed_at, first_seen, last_seen, run_id) "
                    "VALUES (1, 1, 1, 'k', 'current', false, 1, :s, '0', '{}', :t, :t, :t, 1)"
                ),
                {"t": now, "s": "0" * 64},
            )
            tokens = search_tokens(text_)
            if db.dialect == "postgresql":
                from storage.tokens import tsvector_literal

                conn.execute(
                    text(
                        "INSERT INTO chunk (id, version_id, report_id, ordinal, text, agency, year, tsv) "
                        "VALUES (7, 1, 1, 0, :x, '测试局', 2020, CAST(:v AS tsvector))"
                    ),
                    {"x": text_, "v": tsvector_literal(tokens)},
                )
            else:
                conn.execute(
                    text(
                        "INSERT INTO chunk (id, version_id, report_id, ordinal, text, agency, year) "
                        "VALUES (7, 1, 1, 0, :x, '测试局', 2020)"
                    ),
                    {"x": text_},
                )
                conn.execute(
                    text("INSERT INTO chunk_fts (rowid, tokens) VALUES (7, :t)"), {"t": fts5_document(tokens)}
                )
        migrations.upgrade(db)
        (hit,) = search(db, "行政复议").hits
        assert hit.chunk_id == 7 and hit.title == "测试局2020年报"
        migrations.downgrade(db, "0002")
        if db.dialect != "postgresql":
            with db.engine.connect() as conn:
                assert conn.execute(
                    text("SELECT rowid FROM chunk_fts WHERE chunk_fts MATCH '\"行政 政复\"'")
                ).all() == [(7,)]
    finally:
        db.dispose()
