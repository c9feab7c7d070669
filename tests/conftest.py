"""Shared fixtures for every test that touches the archive.

- `database_url`: parametrised over `sqlite` and `postgresql`, so a test that asks for it runs on both.
  Each backend has one migrated database per test session (per xdist worker), emptied before each
  test. The PostgreSQL database is created for the run on the server of `NIANBAO_TEST_DATABASE_URL`
  (default: postgres@127.0.0.1:5432) and dropped at the end.
  Under `CI=true` an unreachable PostgreSQL **fails** the PostgreSQL tests; elsewhere it skips them.
- `empty_database_url`: a fresh, unmigrated database on each backend (for migration tests).
- `data_dir`, `settings`, `archive`: a temporary data directory, Settings for it and the current
  `database_url`, and an open `storage.archive.Archive` (closed after the test).
"""

from __future__ import annotations

import os
import re
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
PG_SERVER_URL = (
    os.environ.get("NIANBAO_TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TEST_DB_PREFIX = "nianbao_test_"

_engines: dict[str, Engine] = {}


def _pg_url(url: str) -> str:
    from storage.settings import normalize_database_url

    return normalize_database_url(url)


def _unavailable(message: str) -> None:
    if CI:
        pytest.fail(f"PostgreSQL is required under CI=true: {message}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {message}")


def _admin_engine() -> Engine:
    if "admin" not in _engines:
        _engines["admin"] = create_engine(
            _pg_url(PG_SERVER_URL), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
        )
    return _engines["admin"]


def _drop_stale_test_databases(admin: Engine) -> None:
    """Databases left by killed test runs on this host (their pid is gone) are dropped."""
    host = re.sub(r"\W", "", socket.gethostname().lower())[:12]
    with admin.connect() as conn:
        names = conn.execute(
            text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": TEST_DB_PREFIX + "%"}
        )
        for (name,) in list(names):
            m = re.fullmatch(TEST_DB_PREFIX + r"(\w+?)_(\d+)_\w+", name)
            if not m or m.group(1) != host:
                continue
            try:
                os.kill(int(m.group(2)), 0)
            except ProcessLookupError:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except PermissionError:
                pass


def create_postgres_database(tag: str) -> str:
    """Create a UTF-8 database for this test run; returns its URL. Skips/fails when unreachable."""
    admin = _admin_engine()
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any connection problem: refused, auth, DNS
        _unavailable(f"{make_url(_pg_url(PG_SERVER_URL)).render_as_string(hide_password=True)}: {exc}")
    _drop_stale_test_databases(admin)
    host = re.sub(r"\W", "", socket.gethostname().lower())[:12]
    name = f"{TEST_DB_PREFIX}{host}_{os.getpid()}_{tag}{uuid.uuid4().hex[:6]}"
    with admin.connect() as conn:
        try:
            conn.execute(
                text(
                    f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                    "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                )
            )
        except Exception:  # a server without the C.UTF-8 locale: its default must then be UTF-8
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(_pg_url(PG_SERVER_URL)).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()
    with _admin_engine().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _migrate(url: str) -> None:
    from storage import migrations
    from storage.db import Database

    db = Database(url)
    try:
        migrations.upgrade(db)
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def _sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'nianbao.db'}"
    _migrate(url)
    return url


@pytest.fixture(scope="session")
def _postgresql_database() -> Iterator[str]:
    url = create_postgres_database("s")
    try:
        _migrate(url)
        yield url
    finally:
        drop_postgres_database(url)


def _engine_for(url: str) -> Engine:
    if url not in _engines:
        from storage.db import create_db_engine

        _engines[url] = create_db_engine(url)
    return _engines[url]


def empty_all_tables(url: str) -> None:
    """Delete every row (the schema stays): a clean archive for the next test."""
    from storage.models import Base
    from storage.search_index import FTS_TABLE

    engine = _engine_for(url)
    tables = [t.name for t in Base.metadata.sorted_tables]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(
                text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
            )
        else:
            conn.execute(text(f"DELETE FROM {FTS_TABLE}"))
            for t in reversed(tables):
                conn.execute(text(f'DELETE FROM "{t}"'))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    url = request.getfixturevalue(f"_{request.param}_database")
    empty_all_tables(url)
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    url = create_postgres_database("e")
    try:
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def settings(database_url: str, data_dir: Path):  # noqa: ANN201
    from storage.settings import Settings

    return Settings(database_url=database_url, data_dir=data_dir)


@pytest.fixture
def archive(settings):  # noqa: ANN001, ANN201
    from storage.archive import Archive

    arch = Archive(settings)
    try:
        yield arch
    finally:
        arch.close()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()
