"""The mirror's HTTP/1.1 server: forward proxy, CONNECT tunnels with TLS, path-prefix mode, control routes.

A small hand-written parser on `asyncio.Protocol` (keep-alive, Content-Length bodies) keeps the per-request
cost to a dictionary lookup and a write, which is what lets one core serve thousands of pages per second.

Request forms:
* `GET http://kw.beijing.gov.cn/path HTTP/1.1` (absolute form): proxy mode, host from the URL.
* `CONNECT kw.beijing.gov.cn:443`: answer 200, terminate TLS with the mirror certificate, then serve
  origin-form requests for that host as https.
* origin form with `Host: 127.0.0.1:PORT`: the loopback routes (`/_mirror/...`, `/_h/{host}/{path}`).
* origin form with `Host: <mirrored host>`: served as that host (for `curl --resolve` or a hosts file).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import unquote

from mirror.resource import Request, Response, http_date

if TYPE_CHECKING:
    from mirror.control import Controller

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]", "::1", ""}
MAX_HEAD = 64 * 1024
REASONS = {521: "Web Server Is Down", 412: "Precondition Failed"}


def reason(status: int) -> str:
    if status in REASONS:
        return REASONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class _Clock:
    """`Date:` header text, formatted at most once a second."""

    def __init__(self) -> None:
        self._sec = -1
        self._text = ""

    def now(self) -> str:
        sec = int(time.time())
        if sec != self._sec:
            self._sec, self._text = sec, http_date(sec)
        return self._text


def split_host(hostport: str) -> str:
    h = hostport.strip().lower()
    if h.startswith("["):
        return h[: h.find("]") + 1]
    if (
        h.endswith(":80")
        or h.endswith(":443")
        or ":" in h
        and h.rsplit(":", 1)[1].isdigit()
        and h.rsplit(":", 1)[0] in LOOPBACK_NAMES
    ):
        h = h.rsplit(":", 1)[0]
    return h


class HTTPProtocol(asyncio.Protocol):
    def __init__(self, controller: Controller, tls: ssl.SSLContext | None, clock: _Clock) -> None:
        self.ctl = controller
        self.tls = tls
        self.clock = clock
        self.buf = bytearray()
        self.transport: asyncio.Transport | None = None
        self.tunnel_host: str | None = None
        self.tunnel_scheme = "https"
        self.busy = False
        self.closed = False

    # -- asyncio callbacks ---------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if not self.busy:
            self._process()

    # -- parsing -------------------------------------------------------------------------------------
    def _process(self) -> None:
        while not self.busy and not self.closed:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) > MAX_HEAD:
                    self._fail(431)
                return
            head = bytes(self.buf[:end]).decode("latin-1")
            lines = head.split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) != 3:
                self._fail(400)
                return
            method, target, version = parts
            headers: dict[str, str] = {}
            for line in lines[1:]:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            try:
                clen = int(headers.get("content-length") or 0)
            except ValueError:
                self._fail(400)
                return
            if len(self.buf) < end + 4 + clen:
                return  # wait for the rest of the body
            body = bytes(self.buf[end + 4 : end + 4 + clen])
            del self.buf[: end + 4 + clen]
            conn = headers.get("connection", "").lower()
            keep = (version == "HTTP/1.1" and conn != "close") or conn == "keep-alive"
            if method == "CONNECT":
                self._connect(target)
                return
            self._request(method, target, headers, body, keep)

    def _fail(self, status: int) -> None:
        self._send_raw(status, [("Content-Type", "text/plain")], reason(status).encode(), False, "mirror")

    # -- CONNECT -------------------------------------------------------------------------------------
    def _connect(self, target: str) -> None:
        host, _, port = target.rpartition(":")
        host = host.lower().strip("[]") if host else target.lower()
        if self.tunnel_host is not None or not self.ctl.knows_host(host):
            self.ctl.note_unknown(host)
            self._send_raw(502, [("Content-Type", "text/plain")], b"mirror: unknown host", False, "mirror")
            return
        assert self.transport is not None
        # Stop reading before answering, so the ClientHello cannot reach this protocol before TLS is set up.
        self.transport.pause_reading()
        self.transport.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.tunnel_host = host
        if port == "80" or self.tls is None:
            self.tunnel_scheme = "http"
            self.transport.resume_reading()
            return
        self.busy = True
        asyncio.get_running_loop().create_task(self._start_tls())

    async def _start_tls(self) -> None:
        loop = asyncio.get_running_loop()
        assert self.transport is not None and self.tls is not None
        try:
            self.transport = await loop.start_tls(self.transport, self, self.tls, server_side=True)  # type: ignore[assignment]
        except (OSError, ssl.SSLError, ConnectionError):
            self.closed = True
            return
        self.busy = False
        self._process()

    # -- requests ------------------------------------------------------------------------------------
    def _request(self, method: str, target: str, headers: dict[str, str], body: bytes, keep: bool) -> None:
        ctl = self.ctl
        if target.startswith(("http://", "https://")):
            scheme, rest = target.split("://", 1)
            slash = rest.find("/")
            hostport, pathq = (rest, "/") if slash < 0 else (rest[:slash], rest[slash:])
            host, via = split_host(hostport), "proxy"
            if host in LOOPBACK_NAMES:  # a proxy-configured client asking for the mirror itself
                via = "local"
        elif self.tunnel_host is not None:
            scheme, host, pathq, via = self.tunnel_scheme, self.tunnel_host, target, "tunnel"
        else:
            host = split_host(headers.get("host", ""))
            scheme, pathq = "http", target
            via = "local" if host in LOOPBACK_NAMES else "origin"
        path, _, query = pathq.partition("?")
        req = Request(method, scheme, host, unquote(path), query, target, headers, body, via)
        if via == "local":
            resp, server, rewrite = ctl.local(req)
            if rewrite is not None:  # path-prefix mode answered for a mirrored host
                req = rewrite
        else:
            resp, server = ctl.serve(req)
        self._respond(req, resp, keep, server, via == "local" and resp.extra.get("prefix"))

    def _respond(self, req: Request, resp: Response, keep: bool, server: str, prefix: bool) -> None:
        rt = self.ctl.runtime
        delay = resp.delay + rt.latency + rt.delays.get((req.host, req.path), 0.0)
        if resp.abort:
            assert self.transport is not None
            self.transport.abort()
            self.closed = True
            return
        if delay > 0:
            self.busy = True
            asyncio.get_running_loop().call_later(delay, self._finish_later, req, resp, keep, server, prefix)
            return
        self._write(req, resp, keep, server, prefix)

    def _finish_later(self, req: Request, resp: Response, keep: bool, server: str, prefix: bool) -> None:
        if self.closed:
            return
        self.busy = False
        self._write(req, resp, keep, server, prefix)
        if not self.closed:
            self._process()

    def _write(self, req: Request, resp: Response, keep: bool, server: str, prefix: bool) -> None:
        status, body, headers = resp.status, resp.body, list(resp.headers)
        res = resp.resource
        if res is not None and res.validators and status == 200:
            assert res.etag is not None
            lm = http_date(res.last_modified) if res.last_modified else None
            gz = "gzip" in req.headers.get("accept-encoding", "") and res.compressible
            etag = ("W/" + res.etag) if gz else res.etag
            headers.append(("ETag", etag))
            if lm:
                headers.append(("Last-Modified", lm))
            if _not_modified(req.headers, res.etag, res.last_modified):
                status, body = 304, b""
            elif gz:
                body = res.gzipped()
                headers.append(("Content-Encoding", "gzip"))
            if res.compressible:
                headers.append(("Vary", "Accept-Encoding"))
        if prefix:
            headers = [
                (k, _prefix_location(v, req.host, self.ctl) if k == "Location" else v) for k, v in headers
            ]
        if status != 304:
            headers.append(("Content-Type", resp.content_type))
        if req.method == "HEAD":
            self._send_raw(status, headers, body, keep, server, head_only=True)
        elif resp.truncate:
            self._send_raw(status, headers, body[: len(body) // 2], False, server, length=len(body))
        else:
            self._send_raw(status, headers, body, keep, server)

    def _send_raw(
        self,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        keep: bool,
        server: str,
        *,
        head_only: bool = False,
        length: int | None = None,
    ) -> None:
        if self.closed or self.transport is None:
            return
        out = [f"HTTP/1.1 {status} {reason(status)}", f"Server: {server}", f"Date: {self.clock.now()}"]
        out.extend(f"{k}: {v}" for k, v in headers)
        if status != 304:  # a 304 carries no body and no length of its own
            out.append(f"Content-Length: {len(body) if length is None else length}")
        out.append("Connection: keep-alive" if keep else "Connection: close")
        head = ("\r\n".join(out) + "\r\n\r\n").encode("utf-8")
        self.transport.write(head if head_only or status == 304 else head + body)
        if not keep:
            self.transport.close()
            self.closed = True


def _not_modified(h: dict[str, str], etag: str, last_modified: float | None) -> bool:
    inm = h.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return etag in tags or "*" in tags
    ims = h.get("if-modified-since")
    if ims and last_modified:
        from email.utils import parsedate_to_datetime

        try:
            return parsedate_to_datetime(ims).timestamp() >= int(last_modified)
        except (TypeError, ValueError):
            return False
    return False


def _prefix_location(loc: str, host: str, ctl: Controller) -> str:
    if loc.startswith("/") and not loc.startswith("//"):
        return f"/_h/{host}{loc}"
    for scheme in ("http://", "https://"):
        if loc.startswith(scheme):
            rest = loc[len(scheme) :]
            host, slash, path = rest.partition("/")
            if ctl.knows_host(split_host(host)):
                return f"/_h/{split_host(host)}/{path}"
    return loc


class MirrorServer:
    """Runs the protocol on a loopback port; `start()` returns the port actually bound."""

    def __init__(self, controller: Controller, host: str = "127.0.0.1", port: int = 0) -> None:
        self.ctl = controller
        self.host, self.port = host, port
        self._server: asyncio.base_events.Server | None = None
        self._clock = _Clock()

    def _factory(self) -> Callable[[], HTTPProtocol]:
        tls = self.ctl.tls_context()
        return lambda: HTTPProtocol(self.ctl, tls, self._clock)

    async def start(self) -> int:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._factory(), self.host, self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 1.0)
