"""Many rows into one table through the driver's fastest path, inside the session's transaction.

A report version brings a hundred or more facts, a few dozen checks and a dozen search chunks. Through the
ORM (or even Core's `insert(...)` with a list) each row costs Python work that dwarfs the database's own:
parameter processing, cache keys, result handling. The rows written here are plain values (numbers,
strings, booleans, None: no JSON, no timestamps), so they can go straight to the driver:

- SQLite: `executemany` on the sqlite3 connection (one prepared statement, the loop in C);
- PostgreSQL: `COPY … FROM STDIN` (psycopg 3), one round trip for all rows.

Both run on the connection the session already holds, so the rows commit or roll back with it (savepoints
included).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session


def driver_connection(s: Session) -> Any:
    """The DBAPI connection (sqlite3 or psycopg) of the session's current transaction."""
    return s.connection().connection.driver_connection


def dialect_name(s: Session) -> str:
    return s.get_bind().dialect.name


def insert_rows(s: Session, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Insert `rows` (tuples in the order of `columns`) into `table`. Returns how many."""
    if not rows:
        return 0
    conn = driver_connection(s)
    names = ", ".join(_quote(c) for c in columns)
    if dialect_name(s) == "postgresql":
        with conn.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    return len(rows)


def _quote(column: str) -> str:
    # `where` (check_result) is a reserved word in both dialects.
    return f'"{column}"'
