"""The DOC/WPS reader: LibreOffice when installed, antiword/catdoc otherwise, a clear error with neither.

The inputs are Word 97 files LibreOffice made from `make_inputs.report_docx()` (tests/parsers/inputs).
Which tools the reader finds is set through PATH: a directory holding links to only some of them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from parsers.errors import ParseError
from parsers.layout import Layout, Table
from parsers.limits import Deadline, Limits
from parsers.readers.containers import OLE_MAGIC
from parsers.readers.doc import read_doc
from tests.parsers import make_inputs as mk

DOC = (mk.INPUTS / "report.doc").read_bytes()
WPS = (mk.INPUTS / "report.wps").read_bytes()
needs = {name: pytest.mark.skipif(shutil.which(name) is None, reason=f"{name} not installed") for name in
         ("soffice", "antiword", "catdoc")}  # fmt: skip


def read(data: bytes, seconds: float = 120) -> Layout:
    return read_doc(data, Limits(), Deadline(seconds))


def cell_set(table: Table) -> set[tuple]:
    return {(c.text, c.row, c.col, c.rowspan, c.colspan) for c in table.cells}


@pytest.fixture
def only(monkeypatch, tmp_path):
    """PATH holding only the named tools."""

    def restrict(*names: str) -> None:
        for name in names:
            (tmp_path / name).symlink_to(shutil.which(name))
        monkeypatch.setenv("PATH", str(tmp_path))

    return restrict


def leftover_temp_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("nianbao-doc-*")}


@needs["soffice"]
@pytest.mark.parametrize("data", [DOC, WPS], ids=["doc", "wps"])
def test_libreoffice_keeps_every_cell_and_merge(data):
    before = leftover_temp_dirs()
    layout = read(data)
    assert leftover_temp_dirs() == before  # the private temp dir is gone
    assert layout.media_type == "application/msword"
    assert layout.title == mk.TITLE
    assert "read through LibreOffice's conversion to DOCX" in layout.warnings
    tables = layout.tables()
    assert [cell_set(t) for t in tables] == [
        s.expected_cells() for s in (mk.table2(), mk.table3(), mk.table4())
    ]
    texts = [p.text for p in layout.paragraphs()]
    assert texts[:4] == [mk.TITLE, mk.INTRO, "一、总体情况", mk.BODY]


@needs["antiword"]
@needs["catdoc"]
def test_without_libreoffice_text_tools_give_text_and_simple_tables(only):
    only("antiword", "catdoc")
    layout = read(DOC)
    assert any(
        w.startswith("read with ") and "merged table cells are not recognised" in w for w in layout.warnings
    )
    texts = [p.text for p in layout.paragraphs()]
    assert texts[:4] == [mk.TITLE, mk.INTRO, "一、总体情况", mk.BODY]
    rows = [[c.text for c in row] for t in layout.tables() for row in t.rows()]
    assert ["规章", "0", "0", "0"] in rows
    assert ["行政规范性文件", "20", "31", "116"] in rows


@needs["antiword"]
def test_antiword_alone_reads_bar_separated_rows(only):
    only("antiword")
    layout = read(DOC)
    assert "read with antiword" in layout.warnings[-1]
    rows = [[c.text for c in row] for t in layout.tables() for row in t.rows()]
    assert ["行政规范性文件", "20", "31", "116"] in rows
    assert layout.paragraphs()[0].text == mk.TITLE


def test_no_tool_at_all_is_unsupported_with_an_install_hint(only):
    only()
    with pytest.raises(ParseError) as err:
        read(DOC)
    assert err.value.kind == "unsupported"
    assert "LibreOffice, antiword or catdoc" in err.value.reason and "install" in err.value.reason


@pytest.mark.parametrize("data", [b"", b"plain text, not a Word file", b"%PDF-1.4"])
def test_non_ole_bytes_are_refused_before_any_tool_runs(data):
    with pytest.raises(ParseError) as err:
        read(data)
    assert err.value.kind == "unreadable"


def test_damaged_ole_file_is_unreadable_with_each_tools_reason():
    before = leftover_temp_dirs()
    with pytest.raises(ParseError) as err:
        read(OLE_MAGIC + b"\x00" * 4000)
    any_tool = any(shutil.which(name) for name in ("soffice", "antiword", "catdoc"))
    assert err.value.kind == ("unreadable" if any_tool else "unsupported")
    assert "nianbao-doc-" not in err.value.reason  # temp paths are not shown
    assert leftover_temp_dirs() == before


@needs["soffice"]
def test_deadline_kills_the_conversion():
    before = leftover_temp_dirs()
    with pytest.raises(ParseError) as err:
        read(DOC, seconds=0.05)
    assert err.value.kind == "timeout"
    assert leftover_temp_dirs() == before
    # No LibreOffice process of ours is left behind: its profile dir would be in its command line.
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            assert b"nianbao-doc-" not in cmdline
