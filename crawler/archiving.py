"""The crawler's side of the archive: every storage call on one worker thread, awaited from Scrapy.

`storage.archive.Archive` is synchronous (fsync, SQL). Called from Scrapy's reactor thread it would stall
every download while a WARC record is flushed. `ArchiveWorker` runs the calls, in submission order, on a
single thread (so rows of one run are written in order and SQLite sees one writer), and hands back asyncio
futures: a middleware awaits the record of its response, which also bounds how far the archive can fall
behind the network (at most CONCURRENT_REQUESTS exchanges in flight).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from storage.archive import Archive

T = TypeVar("T")


class ArchiveWorker:
    def __init__(self, archive: Archive):
        self.archive = archive
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nianbao-archive")
        self._thread_id: int | None = None
        self._closed = False

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> asyncio.Future[T]:
        """Run `fn(*args, **kwargs)` on the archive thread; await the result from the reactor."""
        return asyncio.wrap_future(self._executor.submit(self._run, fn, args, kwargs))

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn` on the archive thread and wait (for code outside the reactor: start and end of a run)."""
        if threading.get_ident() == self._thread_id:
            return fn(*args, **kwargs)
        return self._executor.submit(self._run, fn, args, kwargs).result()

    def _run(self, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
        self._thread_id = threading.get_ident()
        return fn(*args, **kwargs)

    def close(self) -> None:
        """Finish every queued call, then stop the thread."""
        if not self._closed:
            self._closed = True
            self._executor.shutdown(wait=True)
