"""Settings from the environment, with the embedded default (SQLite and files under ./var)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    data_dir: Path
    # Files larger than this are refused by ingest and by the crawler's downloads.
    max_file_bytes: int = 200 * 1024 * 1024

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("NIANBAO_DATA_DIR", "./var"))
        url = env.get("NIANBAO_DATABASE_URL") or f"sqlite:///{data_dir / 'nianbao.db'}"
        max_bytes = int(env.get("NIANBAO_MAX_FILE_BYTES", cls.max_file_bytes))
        return cls(database_url=url, data_dir=data_dir, max_file_bytes=max_bytes)

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def warc_dir(self) -> Path:
        return self.data_dir / "warc"
