"""Fixtures of the crawler tests: the in-process mirror and a fresh migrated archive per backend.

Crawls are slow next to unit tests, so a test module may share one crawl (`module_archive` gives each
module its own database on SQLite and on PostgreSQL); tests that change the mirror (epochs, scenarios,
blocks) use their own `fresh_archive`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mirror.testing import MirrorHandle, running_mirror
from tests.conftest import _migrate, create_postgres_database, drop_postgres_database


@pytest.fixture(scope="module")
def mirror() -> Iterator[MirrorHandle]:
    with running_mirror(epoch=2025) as handle:
        yield handle


def _new_database(backend: str, directory: Path) -> tuple[str, bool]:
    if backend == "sqlite":
        url = f"sqlite:///{directory / 'nianbao.db'}"
        _migrate(url)
        return url, False
    url = create_postgres_database("c")
    _migrate(url)
    return url, True


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def module_archive(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """(database URL, data directory) shared by the tests of one module, per backend."""
    directory = tmp_path_factory.mktemp(f"crawl-{request.param}")
    url, is_pg = _new_database(request.param, directory)
    data = directory / "data"
    data.mkdir()
    try:
        yield url, data
    finally:
        if is_pg:
            drop_postgres_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_archive(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(database URL, data directory) for one test, per backend."""
    url, is_pg = _new_database(request.param, tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    try:
        yield url, data
    finally:
        if is_pg:
            drop_postgres_database(url)
