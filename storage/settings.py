"""Settings from the environment, with the embedded default (SQLite and files under ./var).

| variable | default | meaning |
|---|---|---|
| `NIANBAO_DATABASE_URL` | `sqlite:///<data dir>/nianbao.db` | SQLAlchemy URL; `postgresql://` means psycopg 3 |
| `NIANBAO_DATA_DIR` | `./var` | blobs, WARC files (and the SQLite database by default) |
| `NIANBAO_MAX_FILE_BYTES` | 200 MiB | larger files are refused by ingest and by the crawler |
| `NIANBAO_WARC_MAX_BYTES` | 1 GiB | a run's WARC file is rotated once it grows past this |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024
DEFAULT_WARC_MAX_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    data_dir: Path
    # Files larger than this are refused by ingest and by the crawler's downloads.
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    # A WARC file is closed and a new one started once it reaches this size.
    warc_max_bytes: int = DEFAULT_WARC_MAX_BYTES

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("NIANBAO_DATA_DIR") or "./var")
        url = env.get("NIANBAO_DATABASE_URL") or f"sqlite:///{data_dir / 'nianbao.db'}"
        max_bytes = int(env.get("NIANBAO_MAX_FILE_BYTES") or DEFAULT_MAX_FILE_BYTES)
        warc_max = int(env.get("NIANBAO_WARC_MAX_BYTES") or DEFAULT_WARC_MAX_BYTES)
        return cls(
            database_url=normalize_database_url(url),
            data_dir=data_dir,
            max_file_bytes=max_bytes,
            warc_max_bytes=warc_max,
        )

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def warc_dir(self) -> Path:
        return self.data_dir / "warc"

    @property
    def safe_database_url(self) -> str:
        """The database URL with its password hidden, for messages and logs."""
        return redact_url(self.database_url)


def normalize_database_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3 here (SQLAlchemy would pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def redact_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: show only its scheme, it may hold a password
        return url.split(":", 1)[0] + ":…"
