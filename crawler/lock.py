"""One crawl per source at a time, safe for cron: a second crawl of a source exits at once.

Locks are `flock`s on `{data_dir}/locks/{source}.lock`. The kernel drops them when the process dies, even by
SIGKILL, so a killed crawl never leaves a stale lock behind; the file keeps the holder's pid and start time
for the message the second crawl prints.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path


class SourceLocked(RuntimeError):
    """Another process is crawling one of the sources."""

    def __init__(self, source: str, holder: dict[str, object]):
        self.source = source
        self.holder = holder
        since = holder.get("started")
        pid = holder.get("pid", "?")
        super().__init__(
            f"source {source!r} is already being crawled (pid {pid}"
            + (f", since {since}" if since else "")
            + "); not starting a second crawl"
        )


class CrawlLock:
    """Exclusive locks on a set of sources, taken all-or-nothing in name order (no deadlock between crawls)."""

    def __init__(self, lock_dir: Path, sources: Iterable[str]):
        self.lock_dir = lock_dir
        self.sources = sorted(set(sources))
        self._fds: list[int] = []

    def acquire(self) -> CrawlLock:
        self.lock_dir.mkdir(parents=True, exist_ok=True)
        try:
            for source in self.sources:
                path = self.lock_dir / f"{source}.lock"
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    holder = _read_holder(fd)
                    os.close(fd)
                    raise SourceLocked(source, holder) from None
                self._fds.append(fd)
                info = json.dumps({"pid": os.getpid(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
                os.ftruncate(fd, 0)
                os.pwrite(fd, info.encode(), 0)
        except BaseException:
            self.release()
            raise
        return self

    def release(self) -> None:
        for fd in self._fds:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        self._fds.clear()

    def __enter__(self) -> CrawlLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_holder(fd: int) -> dict[str, object]:
    try:
        data = os.pread(fd, 4096, 0)
        return json.loads(data.decode() or "{}")
    except (OSError, ValueError):
        return {}
