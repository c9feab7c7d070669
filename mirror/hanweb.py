"""Hanweb JCMS dynamic endpoints: `dataproxy.jsp` (jpage list windows) and `downfile.jsp` (attachments).

dataproxy.jsp (sites.md §7.4.4): GET or POST, parameters merged from the query string and a form body.
Window mode when `startrecord` and `endrecord` are given (1-based, inclusive, clipped); otherwise page mode on
`page` returning perPage×groupSize records per page with `<totalpage>`. `columnid` and `unitid` must name a
registered unit together, else an empty datastore.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote

from mirror.pages import JpageUnit, datastore
from mirror.resource import Request, Resource, Response
from mirror.site import Runtime

XML_TYPE = "text/xml;charset=UTF-8"


def request_params(req: Request) -> dict[str, str]:
    params = dict(parse_qsl(req.query, keep_blank_values=True))
    if req.method == "POST" and req.body:
        params.update(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
    return params


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except ValueError:
        return None


@dataclass
class DataProxy:
    units: dict[tuple[int, int], JpageUnit]
    host: str

    def __call__(self, req: Request, rt: Runtime) -> Response:
        if rt.jpage_require_referer and self.host not in req.headers.get("referer", ""):
            return Response.text(403, "Forbidden")
        p = request_params(req)
        unit = self.units.get((_int(p.get("columnid")) or -1, _int(p.get("unitid")) or -1))
        if unit is None:
            return self._xml(datastore([], total=0))
        recs = unit.records
        start, end = _int(p.get("startrecord")), _int(p.get("endrecord"))
        if start is not None and end is not None:
            start, end = max(start, 1), min(end, len(recs))
            return self._xml(datastore(recs[start - 1 : end] if start <= end else [], total=len(recs)))
        size = (_int(p.get("perpage")) or unit.per_page) * unit.group_size
        page = max(_int(p.get("page")) or 1, 1)
        pages = math.ceil(len(recs) / size) if recs else 0
        return self._xml(datastore(recs[(page - 1) * size : page * size], total=len(recs), pages=pages))

    @staticmethod
    def _xml(store: str) -> Response:
        return Response(200, ('<?xml version="1.0" encoding="UTF-8"?>\n' + store).encode(), XML_TYPE)


@dataclass
class DownFile:
    """`filename` -> (how it answers, the attachment). 302 to /attach/0/{file}, or 200 with a disposition."""

    files: dict[str, tuple[str, Resource, str]]  # filename -> (mode "302"|"200", resource, showname)

    def __call__(self, req: Request, rt: Runtime) -> Response:
        p = request_params(req)
        entry = self.files.get(p.get("filename", ""))
        if entry is None:
            return Response.text(404, "文件不存在", "text/html; charset=utf-8")
        mode, res, showname = entry
        if mode == "302":
            return Response.redirect(302, f"/attach/{p.get('classid', '0')}/{p['filename']}")
        r = Response.of(res)
        r.resource = None  # served by a JSP: no validators
        r.headers.append(("Content-Disposition", f"attachment; filename*=UTF-8''{quote(showname)}"))
        return r
