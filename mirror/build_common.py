"""Shared pieces of the builder: constants, the live-placement record and small page helpers."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from html import escape
from typing import Any

from mirror.content import ReportContent
from mirror.placement import Placed, timestamp
from mirror.resource import Response

HTML = "text/html; charset=utf-8"
STATIC_TS = timestamp(dt.datetime(2019, 1, 1, 8, 0))
MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "png": "image/png",
}
# attachment link form -> (file format, how it is linked/served) (sites.md §7.5)
LINK_FORMS = {
    "trs_pdf": "pdf",
    "trs_w0docx": "docx",
    "abs_xlsx": "xlsx",
    "downfile302": "pdf",
    "downfile200": "docx",
    "pdf_text_docx_target": "docx",
    "pdfjs_iframe": "pdf",
    "trs_pdf_htmlerror": "pdf",
    "trs_pdf_404": "pdf",
    "trs_pdf_octet": "pdf",
    "trs_doc": "doc",
    "trs_xls": "xls",
}
NAV_PAGES = {
    "/zwgk/": "政务公开",
    "/hdjl/": "互动交流",
    "/zwfw/": "政务服务",
    "/wzdt/": "网站地图",
    "/lxwm/": "联系我们",
}
GBK_MARKER = "<p>本报告联系人：张镕、刘堃。</p>"  # characters outside GB2312 (E16)


def sha256_hex(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


@dataclass
class Live:
    """A placement as it stands in one epoch/scenario state."""

    pl: Placed
    rc: ReportContent
    url: str
    listed: bool = True
    missing: bool = False  # E1: listed, detail 404
    gone: bool = False  # scenario "disappears"
    superseded_by: Live | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    body_fragment: str = ""


def encoding_name(enc: Any) -> str:
    return {"gbk-implicit": "gbk", "gbk-header": "gbk", "gbk-mismatch": "gbk"}.get(str(enc), "utf-8")


def split_pages(body: str) -> list[str]:
    """E19: a TRS multi-page article, split before the third section heading (or in the middle)."""
    for marker in ("<p><strong>三、", "三、收到和处理", "<table"):
        i = body.find(marker)
        if i > 0:
            j = body.rfind("<p", 0, i) if marker != "<p><strong>三、" else i
            cut = j if j > 0 else i
            return [body[:cut], body[cut:]]
    mid = body.find("</p>", len(body) // 2)
    return [body[: mid + 4], body[mid + 4 :]] if mid > 0 else [body]


def loop_handler(path: str) -> Any:
    from mirror.resource import Response

    def handler(req: Any, rt: Any) -> Response:
        # E6: `x.shtml` -> `x.shtml?` -> `x.shtml` … forever
        return Response.redirect(302, path if req.has_query_mark else path + "?")

    return handler


def blocked_handler(kind: str) -> Any:
    from mirror import antibot

    def handler(req: Any, rt: Any) -> Any:
        return antibot.respond(kind, req, rt, lambda: antibot.blocked_host_page(kind))

    return handler


def negative_text(title: str, kind: str | None) -> str:
    if kind == "yitu":
        return f'<p style="text-align:center"><img src="./W020250331400000000001.png" alt="{escape(title)}"></p><p>{escape(title)}</p>'
    if kind == "topic":
        return (
            "<p>各区、各部门年度报告：</p><ul>"
            + "".join(
                f'<li><a href="/gongkai/zfxxgk/zfxxgknb/2020nb/{t}/">{n}</a></li>'
                for t, n in (("qzf", "区政府"), ("szfbm", "市政府部门"))
            )
            + "</ul>"
        )
    return (
        f"<p>{escape(title)}</p><p>为深入贯彻落实《中华人民共和国政府信息公开条例》，现将有关事项通知如下。</p>"
        "<p>一、高度重视，认真组织。二、突出重点，规范内容。三、按时公开，接受监督。</p><p>特此通知。</p>"
    )


def table_png() -> bytes:
    """A small grey PNG standing in for a photographed statistics table (bjhr's 微信图片_….png)."""
    import struct
    import zlib

    w, h = 120, 80
    rows = []
    for y in range(h):
        line = bytearray([0])
        for x in range(w):
            v = 0 if (x % 30 == 0 or y % 16 == 0) else 235
            line += bytes([v, v, v])
        rows.append(bytes(line))
    raw = zlib.compress(b"".join(rows))

    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )
