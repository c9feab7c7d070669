"""Containers around documents: which Office format a ZIP or OLE file holds, and a zip-bomb guard.

Sniffing goes by what is inside (member names, OLE stream names), never by the file extension: sites
serve .doc files that are DOCX, and .wps files that are Word 97 binaries.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from parsers.errors import ParseError
from parsers.limits import Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Deflate manages about 1000:1 at best on real data; XML documents reach 10-30:1. Far beyond that on a
# large total is a zip bomb.
MAX_RATIO = 200
RATIO_FLOOR = 10 * 1024 * 1024  # below this many unpacked bytes the ratio does not matter


# What zipfile raises on damaged members: bad headers, bad CRCs, broken deflate streams, unknown
# compression methods, encrypted members, offsets pointing outside the file.
ZIP_MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError,
                     ValueError, KeyError)  # fmt: skip


def sniff_zip(data: bytes) -> str | None:
    """'docx' or 'xlsx' by the members of an OOXML package; None for any other zip or non-zip."""
    if not data.startswith(ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except ZIP_MEMBER_ERRORS:
        return None
    if "word/document.xml" in names or any(n.startswith("word/") and n.endswith(".xml") for n in names):
        return "docx"
    if "xl/workbook.xml" in names or any(n.startswith("xl/") and n.endswith(".xml") for n in names):
        return "xlsx"
    return None


def ole_streams(data: bytes) -> list[str]:
    """Names of the storages and streams in an OLE2 compound file (empty if it is not one)."""
    if not data.startswith(OLE_MAGIC):
        return []
    from xlrd import compdoc  # xlrd carries a small, tolerant compound-file reader

    try:
        doc = compdoc.CompDoc(data, logfile=io.StringIO())
    except Exception:  # a damaged directory: not sniffable, whatever the library raised
        return []
    return [d.name for d in doc.dirlist if d.name]


def sniff_ole(data: bytes) -> str | None:
    """'doc' (Word 97-2003, also WPS writer files) or 'xls' (Excel 97-2003, also WPS ET) or None."""
    names = {n.lower() for n in ole_streams(data)}
    if "worddocument" in names:
        return "doc"
    if "workbook" in names or "book" in names:
        return "xls"
    return None


def read_member(archive: zipfile.ZipFile, name: str, what: str) -> bytes | None:
    """One member's bytes; None if the package has no such member; ParseError if it cannot be unpacked."""
    try:
        archive.getinfo(name)
    except KeyError:
        return None
    try:
        return archive.read(name)
    except ZIP_MEMBER_ERRORS as exc:
        raise ParseError(f"the {what} part {name} cannot be unpacked: {exc}", kind="unreadable") from exc


def guard_zip(data: bytes, limits: Limits, what: str) -> dict[str, int]:
    """The package's members and their unpacked sizes, after checking it will not unpack into more
    than the limits allow.

    The sizes come from the central directory; zipfile never inflates a member past its declared
    size, so the check bounds what a library can later unpack from these bytes.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ParseError(
            f"not a valid {what}: not a readable zip package ({exc})", kind="unreadable"
        ) from exc
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if unpacked > limits.max_unpacked_bytes:
        raise ParseError(
            f"the {what} would unpack to {unpacked} bytes, over the limit of {limits.max_unpacked_bytes}",
            kind="too_large",
        )
    if unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * max(packed, 1):
        raise ParseError(
            f"the {what} is compressed {unpacked // max(packed, 1)}:1, as only zip bombs are",
            kind="too_large",
        )
    return {i.filename: i.file_size for i in infos}
