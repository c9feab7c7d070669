"""Sniffing Office containers by their contents, and the zip-bomb guard."""

from __future__ import annotations

import io
import zipfile

import pytest

from parsers.errors import ParseError
from parsers.limits import Limits
from parsers.readers.containers import OLE_MAGIC, guard_zip, ole_streams, sniff_ole, sniff_zip
from tests.parsers import make_inputs as mk


def plain_zip(**members: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in members.items():
            z.writestr(name.replace("__", "/"), text)
    return out.getvalue()


def test_sniff_zip_by_member_names():
    assert sniff_zip(mk.report_docx()) == "docx"
    assert sniff_zip(mk.minimal_docx("<w:p/>")) == "docx"
    assert sniff_zip(mk.report_xlsx()) == "xlsx"
    assert sniff_zip(plain_zip(readme__txt="hi")) is None  # some other zip
    assert sniff_zip(b"%PDF-1.4 ...") is None
    assert sniff_zip(mk.report_docx()[:200]) is None  # a truncated package is not sniffable


def test_sniff_ole_by_stream_names():
    doc = (mk.INPUTS / "report.doc").read_bytes()
    assert "WordDocument" in ole_streams(doc)
    assert sniff_ole(doc) == "doc"
    assert sniff_ole((mk.INPUTS / "report.wps").read_bytes()) == "doc"  # WPS writes Word 97 binaries
    assert sniff_ole((mk.INPUTS / "report.xls").read_bytes()) == "xls"
    assert sniff_ole(b"not ole") is None
    assert sniff_ole(OLE_MAGIC + b"\x00" * 600) is None  # the magic, then garbage
    assert sniff_ole(doc[:1024]) is None


def test_guard_zip_returns_names_or_refuses():
    names = guard_zip(mk.report_docx(), Limits(), "DOCX")
    assert "word/document.xml" in names
    with pytest.raises(ParseError) as err:
        guard_zip(b"garbage", Limits(), "DOCX")
    assert err.value.kind == "unreadable" and "zip" in err.value.reason
    with pytest.raises(ParseError) as err:
        guard_zip(mk.report_docx(), Limits(max_unpacked_bytes=10_000), "DOCX")
    assert err.value.kind == "too_large"
    with pytest.raises(ParseError) as err:
        guard_zip(mk.zip_bomb(16 * 1024 * 1024), Limits(), "XLSX")
    assert err.value.kind == "too_large" and "compressed" in err.value.reason
