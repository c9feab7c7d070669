"""Byte-stable OOXML: python-docx and openpyxl stamp the zip entries (and core.xml) with the time of
writing; fixtures and mirror attachments must be identical when rebuilt, so both are pinned here."""

from __future__ import annotations

import io
import re
import zipfile

FIXED_TIME = (2020, 1, 1, 0, 0, 0)
FIXED_W3CDTF = "2020-01-01T00:00:00Z"


def pin_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_W3CDTF.encode(), body
                )
            pinned = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            dst.writestr(pinned, body)
    return out.getvalue()
