"""What every archive command shares: settings from the environment, opening the archive, and
turning storage errors into a clear message and an exit code.

Exit codes of the archive commands: 0 done; 1 some input could not be archived (the rest was);
2 usage error; 3 the environment is not usable (database unreachable or without schema, data
directory not writable, PostgreSQL not UTF-8).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

EXIT_INPUT = 1
EXIT_ENVIRONMENT = 3

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = EXIT_ENVIRONMENT) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def reports_storage_errors(func: F) -> F:
    """Print a StorageError's message (it is written for users) and exit non-zero, no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from storage.errors import InputRejected, StorageError

        try:
            return func(*args, **kwargs)
        except InputRejected as exc:
            fail(str(exc), EXIT_INPUT)
        except StorageError as exc:
            fail(str(exc), EXIT_ENVIRONMENT)

    return wrapper  # type: ignore[return-value]


def open_archive(*, check_schema: bool = True):  # noqa: ANN201
    from storage.archive import Archive
    from storage.settings import Settings

    return Archive(Settings.from_env(), check_schema=check_schema)


def open_database():  # noqa: ANN201
    """The database of the settings, connected and at the current schema."""
    from storage.db import Database
    from storage.migrations import require_current
    from storage.settings import Settings

    db = Database(Settings.from_env().database_url)
    require_current(db)
    return db


def print_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
