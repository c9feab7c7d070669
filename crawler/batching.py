"""Archive calls grouped in batches: one durability point and one transaction for many items.

Each capture or report stored alone costs several fsyncs and a commit; with SQLite, writers also queue for
the database lock. A `Batcher` collects calls for a few milliseconds (or until `max_items`), runs them as
one call on the archive's worker, and resolves each caller's future with its own result or exception.
Callers still `await` their item, so back-pressure and ordering per item are unchanged.

Group commit: with `max_in_flight`, a batch is not sent while that many are still running (unless it is
full); the items keep gathering and go as one batch the moment one finishes. Under load batches grow by
themselves (a batch's fixed cost, its sessions, statements and syncs, is shared by more items) instead of
queueing small ones behind each other; when the worker is idle an item waits `max_wait` at most.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class Batcher(Generic[Item, Result]):
    def __init__(
        self,
        run_batch: Callable[[list[Item]], Sequence[Result | Exception]],
        submit: Callable[..., asyncio.Future[Any]],
        *,
        max_items: int = 32,
        max_wait: float = 0.02,
        max_in_flight: int | None = None,
    ):
        self.run_batch = run_batch
        self.submit = submit
        self.max_items = max_items
        self.max_wait = max_wait
        self.max_in_flight = max_in_flight
        self._pending: list[tuple[Item, asyncio.Future[Result]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._in_flight = 0
        self._held = False  # a flush waits for a running batch to finish
        self.batches = 0
        self.items = 0

    async def add(self, item: Item) -> Result:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._pending.append((item, future))
        if len(self._pending) >= self.max_items:
            self.flush()
        elif self._timer is None and not self._held:
            self._timer = loop.call_later(self.max_wait, self.flush)
        return await future

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._pending:
            return
        busy = self.max_in_flight is not None and self._in_flight >= self.max_in_flight
        if busy and len(self._pending) < self.max_items:
            self._held = True  # sent by `_finished`, with whatever has gathered by then
            return
        self._held = False
        batch, self._pending = self._pending, []
        self.batches += 1
        self.items += len(batch)
        self._in_flight += 1
        done = self.submit(self.run_batch, [item for item, _ in batch])
        done.add_done_callback(lambda f: self._finished(batch, f))

    def _finished(self, batch: list[tuple[Any, asyncio.Future[Any]]], done: asyncio.Future[Any]) -> None:
        self._in_flight -= 1
        _resolve(batch, done)
        if self._held:
            self.flush()


def _resolve(batch: list[tuple[Any, asyncio.Future[Any]]], done: asyncio.Future[Any]) -> None:
    exc = done.exception()
    results = [exc] * len(batch) if exc is not None else list(done.result())
    for (_, future), result in zip(batch, results, strict=True):
        if future.done():
            continue
        if isinstance(result, BaseException):
            future.set_exception(result)
        else:
            future.set_result(result)
