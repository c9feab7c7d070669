"""Database connections for SQLite (the embedded default) and PostgreSQL (psycopg 3).

SQLite: WAL journal, foreign keys on, a busy timeout, `synchronous=FULL` (a commit is durable), and
explicit `BEGIN` so that transactions (and Alembic's DDL) are real; writers use `BEGIN IMMEDIATE`
so that two processes writing at once wait for each other instead of failing on a stale snapshot.
Write sessions also take an exclusive `flock` on `<database>-writer.lock` first: SQLite's own busy
handler polls with sleeps of up to 100 ms, so with several writers (a crawl's capture threads and its
report workers) the lock sat idle most of the time it was waited for; a flock is handed to the next
writer the moment it is released. The busy timeout stays as the fallback for other writers.

PostgreSQL: the database's encoding and LC_CTYPE must be UTF-8, or Chinese text handling silently
breaks (pg_trgm makes no trigrams of Han characters under `C`); we refuse such a database with a
message that says how to create a right one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from storage.errors import DatabaseLocaleError, DatabaseUnavailable
from storage.settings import normalize_database_url, redact_url

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_file(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see module docstring)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        # A read-only database cannot switch journal mode; reading it still works.
        with contextlib.suppress(Exception):
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def create_db_engine(url: str) -> Engine:
    url = normalize_database_url(url)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        path = _sqlite_file(url)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(
                    f"cannot create the directory of the SQLite database {path}: {exc.strerror or exc}"
                ) from exc
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _install_sqlite_hooks(engine)
        return engine
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    raise DatabaseUnavailable(f"unsupported database {redact_url(url)}: use sqlite:/// or postgresql://")


def check_postgres_locale(conn) -> None:  # noqa: ANN001
    encoding = conn.execute(text("SHOW server_encoding")).scalar_one()
    ctype = conn.execute(
        text("SELECT datctype FROM pg_database WHERE datname = current_database()")
    ).scalar_one()
    name = conn.execute(text("SELECT current_database()")).scalar_one()
    if encoding.upper() not in ("UTF8", "UTF-8") or not _is_utf8_locale(ctype):
        raise DatabaseLocaleError(
            f"PostgreSQL database {name!r} has encoding {encoding} and LC_CTYPE {ctype!r}; nianbao needs "
            "UTF-8 for both, or Chinese search silently finds nothing. Create it with e.g. "
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8';"
        )


def _is_utf8_locale(locale: str) -> bool:
    low = locale.lower().replace("-", "")
    return low.endswith(".utf8") or low == "utf8" or ".utf8@" in low


def insert_ignore(session: Session, model: type, values: dict, conflict_columns: list[str]):  # noqa: ANN201
    """INSERT … ON CONFLICT DO NOTHING, for rows two writers may add at the same moment."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(model).values(**values).on_conflict_do_nothing(index_elements=conflict_columns)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(model).values(**values).on_conflict_do_nothing(index_elements=conflict_columns)


def insert_ignore_many(session: Session, model: type, conflict_columns: list[str]):  # noqa: ANN201
    """`insert_ignore` without values, to execute with a list of rows (executemany)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(model).on_conflict_do_nothing(index_elements=conflict_columns)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(model).on_conflict_do_nothing(index_elements=conflict_columns)


class WriterLock:
    """One writer at a time on a SQLite file, across threads and processes (an exclusive flock).

    Re-entrant within a thread: a write session opened inside another one in the same thread does not
    wait for itself (SQLite would then make it wait, as before)."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()

    @contextmanager
    def held(self) -> Iterator[None]:
        if getattr(self._local, "depth", 0):
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:  # a read-only directory: no lock file, SQLite's busy timeout alone
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._local.depth = 1
            try:
                yield
            finally:
                self._local.depth = 0
        finally:
            os.close(fd)  # releases the flock


class Database:
    """An engine plus the checks every command needs before it touches the archive."""

    def __init__(self, url: str):
        self.url = normalize_database_url(url)
        self.safe_url = redact_url(self.url)
        self.engine = create_db_engine(self.url)
        self._checked = False
        sqlite_file = _sqlite_file(self.url)
        self._writer_lock = WriterLock(Path(f"{sqlite_file}-writer.lock")) if sqlite_file else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def check_connection(self) -> None:
        """Connect once: raise DatabaseUnavailable (URL without password) or DatabaseLocaleError."""
        if self._checked:
            return
        try:
            with self.engine.connect() as conn:
                if self.dialect == "postgresql":
                    check_postgres_locale(conn)
                else:
                    conn.execute(text("SELECT 1"))
        except (OperationalError, DBAPIError) as exc:
            reason = (
                str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
            )
            password = make_url(self.url).password
            if password:
                reason = reason.replace(str(password), "***")
            raise DatabaseUnavailable(
                f"cannot connect to the database at {self.safe_url}: {reason}"
            ) from None
        self._checked = True

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error."""
        bind = self.engine.execution_options(sqlite_begin="IMMEDIATE") if write else self.engine
        exclusive = self._writer_lock.held() if write and self._writer_lock else contextlib.nullcontext()
        with exclusive, Session(bind=bind, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
