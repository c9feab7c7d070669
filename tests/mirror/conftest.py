"""Fixtures: an in-process mirror per epoch (shared by the tests of a worker) and a fresh one per test.

Crawler tests can use the same fixtures (`from tests.mirror.conftest import *` is not needed: import
`mirror.testing.running_mirror` directly, see docs/mirror.md).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mirror.testing import Fetched, MirrorHandle, fetch, running_mirror


@pytest.fixture(scope="session")
def mirror25() -> Iterator[MirrorHandle]:
    with running_mirror(epoch=2025, slow_seconds=1.0) as m:
        yield m


@pytest.fixture(scope="session")
def mirror23() -> Iterator[MirrorHandle]:
    with running_mirror(epoch=2023, slow_seconds=1.0) as m:
        yield m


@pytest.fixture
def fresh_mirror() -> Iterator[MirrorHandle]:
    """A mirror of its own, for tests that switch scenarios or change run-time settings."""
    with running_mirror(epoch=2025, slow_seconds=1.0) as m:
        yield m


@pytest.fixture
def get():
    def _get(m: MirrorHandle, url: str, **kw) -> Fetched:
        return fetch(m.proxy_url, url, **kw)

    return _get


def report(m: MirrorHandle, rid: str) -> dict:
    for r in m.manifest["reports"]:
        if r["id"] == rid:
            return r
    raise KeyError(rid)
