"""The routing table of a built mirror: hosts, their static resources and small dynamic handlers.

A `Site` is immutable once built; switching epoch or scenario swaps in a new `Site` (see `control.py`).
Per-run state (request logs, counters, rate limiter, blocks) lives in `Runtime`, which survives swaps.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mirror import antibot
from mirror.resource import Request, Resource, Response

Handler = Callable[[Request, "Runtime"], Response]

UNKNOWN_HOST = Response.text(502, "mirror: unknown host")


@dataclass
class HostSite:
    name: str
    server: str = "nginx"
    https_only: bool = False  # E3: http:// answers 301 to https://
    static: dict[str, Resource] = field(default_factory=dict)
    handlers: dict[str, Handler] = field(default_factory=dict)  # exact path -> handler
    prefix_handlers: list[tuple[str, Handler]] = field(default_factory=list)
    not_found: Resource | None = None
    relative_dir_redirect: bool = False  # E7: `Location: 10870021/` instead of an absolute URL
    block: str | None = None  # an anti-bot kind answering every request (blocked.mirror.test paths aside)

    def add(self, path: str, res: Resource, *aliases: str) -> Resource:
        self.static[path] = res
        for a in aliases:
            self.static[a] = res
        return res


@dataclass
class Site:
    hosts: dict[str, HostSite]
    manifest: dict[str, Any]
    epoch: int
    scenarios: tuple[str, ...] = ()

    def resolve(self, req: Request, rt: Runtime) -> Response:
        host = self.hosts.get(req.host)
        if host is None:
            return UNKNOWN_HOST
        down = rt.failures.get(req.host)
        if down is not None:  # down for maintenance: every URL, robots.txt included, answers `down`
            return Response.text(down, f"HTTP {down}: the site is down for maintenance")
        kind = rt.blocks.get(req.host) or host.block
        if kind and req.path != "/robots.txt":
            return antibot.respond(kind, req, rt, lambda: self._route(host, req, rt))
        if rt.rate_limited(req.host):
            return Response(429, b"Too Many Requests", "text/plain; charset=utf-8", [("Retry-After", "1")])
        return self._route(host, req, rt)

    def _route(self, host: HostSite, req: Request, rt: Runtime) -> Response:
        if host.https_only and req.scheme == "http":
            return Response.redirect(301, f"https://{req.host}{req.target_path()}")
        handler = host.handlers.get(req.path)
        if handler is not None:
            return handler(req, rt)
        res = host.static.get(req.path)
        if res is not None:
            r = Response.of(res)
            if res.delay < 0:  # E24: the slow page waits as long as the run is configured to
                r.delay = rt.slow_seconds
            return r
        for prefix, h in host.prefix_handlers:
            if req.path.startswith(prefix):
                return h(req, rt)
        if not req.path.endswith("/") and (req.path + "/") in host.static:
            name = req.path.rsplit("/", 1)[1]
            loc = f"{name}/" if host.relative_dir_redirect else f"{req.scheme}://{req.host}{req.path}/"
            return Response.redirect(301, loc)
        if host.not_found is not None:
            r = Response.of(host.not_found)
            r.resource = None  # error pages carry no validators
            return r
        return Response.text(404, "Not Found")


@dataclass
class LogEntry:
    t: float
    method: str
    scheme: str
    host: str
    path: str
    query: str
    headers: dict[str, str]
    status: int = 0
    via: str = "proxy"

    def as_dict(self) -> dict[str, Any]:
        return {
            "t": self.t,
            "method": self.method,
            "scheme": self.scheme,
            "host": self.host,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "status": self.status,
            "via": self.via,
        }


class Runtime:
    """State that belongs to a run of the server, not to the built site."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.log: dict[str, list[LogEntry]] = defaultdict(list)
        self.counts: Counter[str] = Counter()
        self.blocks: dict[str, str] = {}  # host -> anti-bot kind (MIRROR_BLOCK)
        self.failures: dict[str, int] = {}  # host -> HTTP status of every answer, robots.txt too (site down)
        self.rate_limit: bool = False
        self.rate_limit_max = 5  # more than this many requests within one second -> 429
        self.latency: float = 0.0  # added to every answer (benchmarks)
        # (host, path) -> seconds added to that page's answers (tests: the order responses come back in)
        self.delays: dict[tuple[str, str], float] = {}
        self.slow_seconds: float = 8.0  # E24
        self.jpage_require_referer = (
            False  # MIRROR_JPAGE_REQUIRE_REFERER: dataproxy 403 without a same-site Referer
        )
        self.keep_log: bool = True
        self.hits: dict[tuple[str, str], int] = defaultdict(int)  # (host, path) -> count, for busy503
        self._recent: dict[str, deque[float]] = defaultdict(deque)

    def record(self, req: Request) -> LogEntry | None:
        self.counts[req.host] += 1
        if not self.keep_log:
            return None
        entry = LogEntry(
            time.time(), req.method, req.scheme, req.host, req.path, req.query, req.headers, via=req.via
        )
        self.log[req.host].append(entry)
        return entry

    def rate_limited(self, host: str) -> bool:
        if not self.rate_limit:
            return False
        now = time.monotonic()
        q = self._recent[host]
        while q and now - q[0] > 1.0:
            q.popleft()
        q.append(now)
        return len(q) > self.rate_limit_max

    def reset(self) -> None:
        self.log.clear()
        self.counts.clear()
        self.hits.clear()
        self._recent.clear()
