"""Run the mirror in-process for tests (the crawler's tests use this too).

    from mirror.testing import running_mirror

    with running_mirror(epoch=2023) as m:
        proxy = m.proxy_url                     # "http://127.0.0.1:PORT": set as Scrapy's proxy
        m.manifest["reports"]                   # the ground truth of what is served now
        m.requests("kw.beijing.gov.cn")         # the per-host request log (list of dicts)
        m.switch(scenarios={"new_report"})      # change what is served; manifest follows
        m.block("www.bjmy.gov.cn", "ruishu412") # anti-bot signature for a host
        m.config(rate_limit=True)               # §7.9 politeness limiter

The server runs on its own event loop in a daemon thread; the handle's methods are thread-safe enough for
tests (they swap references or mutate small dicts the server only reads).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from mirror.control import Controller
from mirror.server import MirrorServer


@dataclass
class MirrorHandle:
    controller: Controller
    port: int

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def manifest(self) -> dict[str, Any]:
        return self.controller.manifest

    def prefix_url(self, url: str) -> str:
        """The path-prefix form of a mirrored URL: http://127.0.0.1:PORT/_h/{host}/{path}."""
        rest = url.split("://", 1)[1]
        return f"{self.proxy_url}/_h/{rest}"

    def requests(self, host: str | None = None) -> list[dict[str, Any]]:
        rt = self.controller.runtime
        with rt.lock:
            entries = rt.log.get(host, []) if host else [e for v in rt.log.values() for e in v]
            return [e.as_dict() for e in entries]

    def counts(self) -> dict[str, int]:
        return dict(self.controller.runtime.counts)

    def reset(self) -> None:
        self.controller.runtime.reset()

    def switch(self, epoch: int | None = None, scenarios: set[str] | None = None) -> dict[str, Any]:
        self.controller.switch(epoch, scenarios)
        return self.manifest

    def block(self, host: str, kind: str | None) -> None:
        if kind is None:
            self.controller.runtime.blocks.pop(host, None)
        else:
            self.controller.runtime.blocks[host] = kind

    def fail(self, host: str, status: int | None = 503) -> None:
        """Every answer of `host` (robots.txt too) is `status` with no Retry-After: a site down for
        maintenance. None: the host is back."""
        if status is None:
            self.controller.runtime.failures.pop(host, None)
        else:
            self.controller.runtime.failures[host] = status

    def delay(self, url: str, seconds: float | None) -> None:
        """Answer `url` (any scheme) `seconds` later than it would be; None: no more delay."""
        parts = urlsplit(url)
        key = (parts.hostname or "", unquote(parts.path or "/"))
        if seconds is None:
            self.controller.runtime.delays.pop(key, None)
        else:
            self.controller.runtime.delays[key] = seconds

    def config(
        self,
        *,
        rate_limit: bool | None = None,
        latency: float | None = None,
        slow_seconds: float | None = None,
        jpage_require_referer: bool | None = None,
        keep_log: bool | None = None,
    ) -> None:
        rt = self.controller.runtime
        if rate_limit is not None:
            rt.rate_limit = rate_limit
        if latency is not None:
            rt.latency = latency
        if slow_seconds is not None:
            rt.slow_seconds = slow_seconds
        if jpage_require_referer is not None:
            rt.jpage_require_referer = jpage_require_referer
        if keep_log is not None:
            rt.keep_log = keep_log


@contextlib.contextmanager
def running_mirror(
    *,
    epoch: int | None = None,
    scenarios: set[str] | None = None,
    scale: int = 0,
    port: int = 0,
    controller: Controller | None = None,
    slow_seconds: float | None = None,
) -> Iterator[MirrorHandle]:
    """Build (or reuse `controller`) and serve the mirror on 127.0.0.1 for the duration of the block."""
    ctl = controller or Controller(epoch=epoch, scenarios=scenarios or set(), scale=scale)
    if slow_seconds is not None:
        ctl.runtime.slow_seconds = slow_seconds
    loop = asyncio.new_event_loop()
    server = MirrorServer(ctl, port=port)
    started = threading.Event()
    error: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(server.start())
        except BaseException as e:  # surfaced to the caller below
            error.append(e)
            started.set()
            return
        started.set()
        loop.run_forever()

    t = threading.Thread(target=run, name="nianbao-mirror", daemon=True)
    t.start()
    started.wait(30)
    if error:
        raise error[0]
    ctl.addr = f"127.0.0.1:{server.port}"
    try:
        yield MirrorHandle(ctl, server.port)
    finally:
        fut = asyncio.run_coroutine_threadsafe(server.stop(), loop)
        with contextlib.suppress(Exception):
            fut.result(5)
        loop.call_soon_threadsafe(loop.stop)
        t.join(5)
        with contextlib.suppress(Exception):
            loop.close()


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]  # lower-cased names; repeated headers joined with ", "
    body: bytes

    def text(self, encoding: str = "utf-8") -> str:
        return self.body.decode(encoding, "replace")


@functools.lru_cache(maxsize=1)
def _client_tls() -> ssl.SSLContext:
    # made once: loading the system CA store costs tens of milliseconds per context
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def fetch(
    proxy_url: str,
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 10.0,
) -> Fetched:
    """One request through the mirror's proxy, as a crawler would send it (no redirects followed, no
    decompression): absolute form for http URLs, a CONNECT tunnel with TLS for https URLs."""
    import http.client

    phost, _, pport = proxy_url.split("://", 1)[1].partition(":")
    scheme, rest = url.split("://", 1)
    host, slash, path = rest.partition("/")
    path = "/" + path
    hdrs = {"User-Agent": "nianbao-test", **(headers or {})}
    if scheme == "https":
        ctx = _client_tls()
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            phost, int(pport), timeout=timeout, context=ctx
        )
        conn.set_tunnel(host, 443)
        target = path
    else:
        conn = http.client.HTTPConnection(phost, int(pport), timeout=timeout)
        target = url
    try:
        conn.request(method, target, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        merged: dict[str, str] = {}
        for k, v in resp.getheaders():
            merged[k.lower()] = f"{merged[k.lower()]}, {v}" if k.lower() in merged else v
        return Fetched(resp.status, merged, data)
    finally:
        conn.close()
