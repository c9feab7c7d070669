"""Helpers shared by the storage tests."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from parsers.model import Check, Document, Fact, Section, Source


@contextlib.contextmanager
def read_only_directory(path: Path) -> Iterator[None]:
    """Make `path` unwritable even for root (chattr +i), or by mode bits for other users."""
    if os.geteuid() != 0:
        path.chmod(0o555)
        try:
            yield
        finally:
            path.chmod(0o755)
        return
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("running as root and chattr +i is not available: cannot make a read-only directory")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


APPLICATION_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)


def make_document(
    agency: str | None = "北京市测试局",
    year: int | None = 2020,
    *,
    title: str | None = None,
    template: str | None = "T2021",
    sections: list[tuple[str | None, str, str]] | None = None,
    facts: dict[tuple[str, str, str], float | int | None] | None = None,
    sha256: str = "0" * 64,
    parser_version: str | None = None,
) -> Document:
    """A Document as the parser would give it (for tests that need control over every field)."""
    import parsers

    if title is None and agency and year:
        title = f"{agency}{year}年政府信息公开工作年度报告"
    if sections is None:
        sections = [
            (
                "一",
                "总体情况",
                f"{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，做好政府信息公开工作。",
            ),
            ("二", "主动公开政府信息情况", "本年主动公开政府信息1234条。"),
        ]
    facts = facts or {("applications", "new_received", "total"): 22}
    return Document(
        parser_version=parser_version or parsers.__version__,
        source=Source(sha256=sha256),
        agency=agency,
        year=year,
        title=title,
        template=template,
        sections=[Section(heading=h, text=t, number=n) for n, h, t in sections],
        facts=[
            Fact(table=t, row=r, col=c, value=v, raw="" if v is None else str(v))
            for (t, r, c), v in facts.items()
        ],
        checks=[Check(rule="applications.balance", ok=True, where="total", expected=22, actual=22)],
    )


def carry_facts(
    carried_over: int | None, carried_forward: int | None
) -> dict[tuple[str, str, str], int | None]:
    facts: dict[tuple[str, str, str], int | None] = {}
    if carried_over is not None:
        facts[("applications", "carried_over", "total")] = carried_over
        facts[("applications", "carried_over", "natural_person")] = carried_over
    if carried_forward is not None:
        facts[("applications", "carried_forward", "total")] = carried_forward
        facts[("applications", "carried_forward", "natural_person")] = carried_forward
    return facts
