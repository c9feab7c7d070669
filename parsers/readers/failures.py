"""The readers' promise: bad bytes give a ParseError, never another exception.

Each reader already turns the errors it expects into ParseErrors with a precise reason; this last
net catches what a library raises on input nobody foresaw, and names the library's complaint.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from parsers.errors import ParseError

F = TypeVar("F", bound=Callable)


def reader(what: str) -> Callable[[F], F]:
    def wrap(read: F) -> F:
        @functools.wraps(read)
        def guarded(*args, **kwargs):
            try:
                return read(*args, **kwargs)
            except (ParseError, RecursionError, MemoryError, KeyboardInterrupt):
                raise  # the caller reports these itself
            except Exception as exc:
                raise ParseError(f"the {what} could not be read: {type(exc).__name__}: {exc}") from exc

        return guarded  # type: ignore[return-value]

    return wrap
