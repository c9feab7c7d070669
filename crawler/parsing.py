"""The shared parser, off the reactor: report pages and attachments parsed in worker processes.

Parsing a report (tables, PDF layout) is CPU work; done in Scrapy's thread it would stall every download.
`ParsePool` runs `parsers.parse` in `NIANBAO_PARSE_WORKERS` processes (default: the number of CPUs, at most
2), or in a thread when that is 0. Documents travel back as their schema dict, errors as (reason, kind):
nothing Scrapy- or database-specific crosses the process boundary.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

from parsers.errors import ParseError
from parsers.model import Document


def parse_in_worker(data: bytes, media_type: str | None, url: str | None) -> tuple[str, Any, Any]:
    """Runs in the worker: ("ok", document dict, None) or ("error", reason, kind)."""
    import parsers

    try:
        document = parsers.parse(data, media_type, url)
    except ParseError as exc:
        return ("error", exc.reason, exc.kind)
    except Exception as exc:  # a parser bug must not take the crawl down; it is recorded as an error
        return ("error", f"parser failure: {type(exc).__name__}: {exc}", "parser_error")
    return ("ok", document.to_dict(), None)


def default_workers() -> int:
    value = os.environ.get("NIANBAO_PARSE_WORKERS")
    if value not in (None, ""):
        return max(0, int(value))
    return max(1, min(2, os.cpu_count() or 1))


class ParsePool:
    def __init__(self, workers: int | None = None):
        workers = default_workers() if workers is None else workers
        self.workers = workers
        self.busy = 0.0  # seconds documents spent being parsed (queueing included), for the run report
        self._executor: Executor
        if workers > 0:
            self._executor = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn")
            )
        else:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nianbao-parse")

    async def parse(self, data: bytes, media_type: str | None, url: str | None) -> Document:
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        status, value, kind = await loop.run_in_executor(
            self._executor, parse_in_worker, data, media_type, url
        )
        self.busy += time.perf_counter() - started
        if status != "ok":
            raise ParseError(value, kind=kind)
        return Document.from_dict(value)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
