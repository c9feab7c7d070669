"""The crawler's side of the archive: storage calls on worker threads, awaited from Scrapy.

`storage.archive.Archive` is synchronous (fsync, SQL). Called from Scrapy's reactor thread it would stall
every download while a WARC record is flushed. `ArchiveWorker` runs the calls off the reactor and hands
back asyncio futures: a middleware awaits the record of its response, which also bounds how far the
archive can fall behind the network (at most CONCURRENT_REQUESTS exchanges in flight).

- Exchanges (`record_exchange`, `record_failure`, batches of them) go to a small pool
  (`NIANBAO_ARCHIVE_THREADS`, default 2): they wait mostly on fsync (blob, WARC, commit), and a second
  batch can be written while the first is being made durable.
- Everything else (reports, events, state) runs in submission order on one thread, so report identities,
  versions and events are decided one at a time.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from storage.archive import Archive

T = TypeVar("T")


def default_threads() -> int:
    return max(1, int(os.environ.get("NIANBAO_ARCHIVE_THREADS") or 2))


class ArchiveWorker:
    def __init__(self, archive: Archive, *, exchange_threads: int | None = None):
        self.archive = archive
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nianbao-archive")
        self._exchanges = ThreadPoolExecutor(
            max_workers=exchange_threads or default_threads(), thread_name_prefix="nianbao-capture"
        )
        self._thread_id: int | None = None
        self._closed = False
        self.busy: dict[str, float] = {}
        self._busy_lock = threading.Lock()

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> asyncio.Future[T]:
        """Run `fn(*args, **kwargs)` on the archive thread; await the result from the reactor."""
        return asyncio.wrap_future(self._executor.submit(self._run, fn, args, kwargs))

    def submit_exchange(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> asyncio.Future[T]:
        """Run a capture call (`record_exchange`, `record_failure`) on the capture pool."""
        return asyncio.wrap_future(self._exchanges.submit(self._timed, "capture", fn, args, kwargs))

    def _timed(self, pool: str, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            # Busy seconds per pool, for the run report: where a slow crawl spends its time.
            with self._busy_lock:
                self.busy[pool] = self.busy.get(pool, 0.0) + time.perf_counter() - started

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn` on the archive thread and wait (for code outside the reactor: start and end of a run)."""
        if threading.get_ident() == self._thread_id:
            return fn(*args, **kwargs)
        return self._executor.submit(self._run, fn, args, kwargs).result()

    def _run(self, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
        self._thread_id = threading.get_ident()
        return self._timed("archive", fn, args, kwargs)

    def close(self) -> None:
        """Finish every queued call, then stop the thread."""
        if not self._closed:
            self._closed = True
            self._exchanges.shutdown(wait=True)
            self._executor.shutdown(wait=True)
