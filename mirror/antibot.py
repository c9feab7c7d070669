"""Anti-bot and failure signatures (sites.md §7.7). Signatures only: nothing here can be solved.

Each kind answers like the real defence's first response, so the crawler can detect, record and back off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from mirror.resource import Request, Response

if TYPE_CHECKING:
    from mirror.site import Runtime

KINDS = (
    "ruishu412",
    "ruishu202",
    "ruishu200",
    "jsl521",
    "waf403",
    "waf200",
    "rate429",
    "busy503",
    "session404",
    "reset",
)

RUISHU_BODY = (
    "<html><head>"
    '<meta id="x1" content="{seed}" r=\'m\'>'
    "<script>$_ts=window['$_ts'];if(!$_ts)$_ts={{}};$_ts.nsd=1;$_ts.cd=\"AAAA{cd}\";</script>"
    "<script src=\"/Ab12/xyz.js\" r='m'></script>"
    "</head><body></body></html><script>_$aa();</script>"
)
WAF_BODY = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>安全验证</title></head><body>'
    '<div class="box"><h2>安全验证</h2><p>您的访问行为异常，请稍后再试或完成验证后继续访问。</p></div>'
    "</body></html>"
)


def _token(req: Request, n: int = 16) -> str:
    return hashlib.sha1(f"{req.host}{req.path}".encode()).hexdigest()[:n]


def _ruishu(status: int, req: Request) -> Response:
    body = RUISHU_BODY.format(seed=_token(req, 24), cd=_token(req, 8)).encode()
    # Ruishu sets a cookie whose name is dynamic and ends in S.
    cookie = f"Ab12Cd34{_token(req, 4)}S=6{_token(req, 30)}; path=/"
    return Response(status, body, "text/html; charset=utf-8", [("Set-Cookie", cookie)])


def respond(kind: str, req: Request, rt: Runtime, real: Callable[[], Response]) -> Response:
    """The answer of a host blocked by `kind`; `real` produces the page for kinds that let one through."""
    if req.path == "/Ab12/xyz.js":
        return Response(200, b"/* no-op */", "application/javascript")
    if kind == "ruishu412":
        return _ruishu(412, req)
    if kind == "ruishu202":
        return _ruishu(202, req)
    if kind == "ruishu200":
        return _ruishu(200, req)
    if kind == "jsl521":
        clearance = _token(req, 32)
        body = f"<script>document.cookie='__jsluid_s={clearance}';location.reload();</script>".encode()
        headers = [
            ("X-Via-JSL", "5f8a6b1,-"),
            ("Set-Cookie", f"__jsluid_s={clearance}; max-age=31536000; path=/"),
        ]
        return Response(521, body, "text/html; charset=utf-8", headers)
    if kind == "waf403":
        return Response(403, WAF_BODY.encode(), "text/html; charset=utf-8")
    if kind == "waf200":
        return Response(200, WAF_BODY.encode(), "text/html; charset=utf-8")
    if kind == "rate429":
        return Response(
            429, "请求过于频繁，请稍后再试".encode(), "text/plain; charset=utf-8", [("Retry-After", "30")]
        )
    if kind == "busy503":
        key = (req.host, req.path)
        rt.hits[key] += 1
        if rt.hits[key] <= 2:
            return Response(503, b"Service Temporarily Unavailable", "text/plain", [("Retry-After", "5")])
        return real()
    if kind == "session404":
        if req.cookie("JSESSIONID"):
            return real()
        sid = _token(req, 32).upper()
        return Response(
            200,
            "非法请求 404！".encode(),
            "text/html; charset=utf-8",
            [("Set-Cookie", f"JSESSIONID={sid}; Path=/")],
        )
    if kind == "reset":
        return Response(0, abort=True)
    raise ValueError(f"unknown block kind {kind!r}")


def blocked_host_page(kind: str) -> Response:
    """What blocked.mirror.test answers at `/{kind}/` once the signature has let the request through."""
    return Response.text(200, f"<html><body>ok: {kind}</body></html>", "text/html; charset=utf-8")
