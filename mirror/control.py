"""The mirror's controller: holds the current built site, switches epoch/scenarios, answers control routes.

Switching rebuilds from memoised report renders and then carries validators over: a resource whose bytes did
not change keeps its Last-Modified; a changed or new one gets the simulated clock's "now", which only moves
forward (one simulated day per switch), so conditional GETs see exactly what changed.
"""

from __future__ import annotations

import functools
import json
import os
import ssl
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from mirror.builder import Builder
from mirror.content import cache_dir
from mirror.resource import Request, Response
from mirror.site import Runtime, Site
from mirror.spec import Spec, load_spec

DAY = 86400.0
HELP = """nianbao mirror: a local mirror of government sites for crawler tests.

Proxy mode:   curl --proxy http://{addr} http://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/
              curl --proxy http://{addr} -k https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/
Prefix mode:  http://{addr}/_h/{{host}}/{{path}}
Control:      /_mirror/state  /_mirror/log?host=H  /_mirror/counts  /_mirror/reset  /_mirror/manifest
              /_mirror/scenario?epoch=2023&scenario=new_report,corrected   (switch; GET or POST)
              /_mirror/config?rate_limit=1&latency=0.01&slow=8&block=HOST:KIND&unblock=HOST
                                &fail=HOST:503&recover=HOST
Hosts:        {hosts}
"""


@functools.lru_cache(maxsize=4)
def _shared_builder(scale: int) -> Builder:
    """Builders are stateless between builds; sharing one keeps the memoised renders across controllers
    (a test suite starting many mirrors renders each report once)."""
    return Builder(load_spec(scale=scale))


class Controller:
    def __init__(
        self,
        spec: Spec | None = None,
        *,
        epoch: int | None = None,
        scenarios: set[str] | frozenset[str] = frozenset(),
        scale: int = 0,
    ) -> None:
        self.builder = Builder(spec) if spec is not None else _shared_builder(scale)
        self.spec = self.builder.spec
        self.runtime = Runtime()
        self._lock = threading.Lock()
        self._tls: ssl.SSLContext | None = None
        self.addr = "127.0.0.1:0"
        self.unknown_hosts: list[str] = []
        self.site: Site = self.builder.build(epoch or self.spec.default_epoch, set(scenarios))
        self.clock = max((r.last_modified or 0) for h in self.site.hosts.values() for r in h.static.values())
        self.switches = 0
        for item in filter(None, os.environ.get("MIRROR_BLOCK", "").split(",")):
            host, _, kind = item.partition(":")
            self.runtime.blocks[host] = kind
        self.runtime.jpage_require_referer = os.environ.get("MIRROR_JPAGE_REQUIRE_REFERER") == "1"

    # ------------------------------------------------------------------ state
    @property
    def manifest(self) -> dict[str, Any]:
        return self.site.manifest

    def switch(self, epoch: int | None = None, scenarios: set[str] | frozenset[str] | None = None) -> Site:
        """Rebuild for another epoch and/or scenario set; unchanged bytes keep their validators."""
        with self._lock:
            old = self.site
            epoch = old.epoch if epoch is None else epoch
            scen = set(old.scenarios) if scenarios is None else set(scenarios)
            new = self.builder.build(epoch, scen)
            self.switches += 1
            self.clock = max(self.clock + DAY, self.clock)
            for name, host in new.hosts.items():
                before = old.hosts.get(name)
                for path, res in host.static.items():
                    prev = before.static.get(path) if before else None
                    if prev is not None and prev.body == res.body and prev.status == res.status:
                        res.last_modified, res.etag = prev.last_modified, prev.etag
                        res._gzip = prev._gzip
                    elif res.validators:
                        res.last_modified = max(self.clock, res.last_modified or 0)
            self.clock = max(
                [self.clock] + [r.last_modified or 0 for h in new.hosts.values() for r in h.static.values()]
            )
            self.site = new
            return new

    def tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            from mirror.tls import server_context

            self._tls = server_context(sorted(self.spec.hosts), cache_dir())
        return self._tls

    def knows_host(self, host: str) -> bool:
        return host in self.site.hosts

    def note_unknown(self, host: str) -> None:
        self.unknown_hosts.append(host)

    # ------------------------------------------------------------------ serving
    def serve(self, req: Request) -> tuple[Response, str]:
        site = self.site
        host = site.hosts.get(req.host)
        if host is None:
            self.note_unknown(req.host)
            return site.resolve(req, self.runtime), "mirror"
        entry = self.runtime.record(req)
        resp = site.resolve(req, self.runtime)
        if entry is not None:
            entry.status = resp.status
        return resp, host.server

    def local(self, req: Request) -> tuple[Response, str, Request | None]:
        path = req.path
        if path.startswith("/_h/"):
            host, _, rest = path[4:].partition("/")
            target = "/" + rest + (("?" + req.query) if req.query else "")
            site = self.site
            scheme = "https" if (site.hosts.get(host) and site.hosts[host].https_only) else "http"
            inner = Request(
                req.method, scheme, host, "/" + rest, req.query, target, req.headers, req.body, "prefix"
            )
            resp, server = self.serve(inner)
            resp.extra["prefix"] = True
            return resp, server, inner
        if path.startswith("/_mirror/"):
            return self.control(path[len("/_mirror/") :], req), "mirror", None
        if path in ("/", "/index.html"):
            text = HELP.format(addr=self.addr, hosts=" ".join(sorted(self.site.hosts)))
            return Response.text(200, text), "mirror", None
        return Response.text(404, "mirror: not a control route"), "mirror", None

    def control(self, name: str, req: Request) -> Response:
        params = dict(parse_qsl(req.query, keep_blank_values=True))
        if req.method == "POST" and req.body:
            params.update(parse_qsl(req.body.decode("utf-8", "replace")))
        rt = self.runtime
        if name == "log":
            host = params.get("host")
            with rt.lock:
                logs = rt.log.get(host, []) if host else [e for v in rt.log.values() for e in v]
                data = [e.as_dict() for e in logs]
            return _json(data)
        if name == "counts":
            return _json(dict(rt.counts))
        if name == "reset":
            rt.reset()
            return _json({"ok": True})
        if name == "manifest":
            return _json(self.manifest)
        if name == "state":
            return _json(self.state())
        if name == "scenario":
            if "epoch" in params or "scenario" in params:
                epoch = int(params["epoch"]) if params.get("epoch") else None
                scen = None
                if "scenario" in params:
                    scen = {s for s in params["scenario"].split(",") if s}
                try:
                    self.switch(epoch, scen)
                except ValueError as e:
                    return Response.text(400, str(e))
            return _json(self.state())
        if name == "config":
            if "rate_limit" in params:
                rt.rate_limit = params["rate_limit"] not in ("0", "", "false")
            if "latency" in params:
                rt.latency = float(params["latency"])
            if "slow" in params:
                rt.slow_seconds = float(params["slow"])
            if "block" in params:
                host, _, kind = params["block"].partition(":")
                rt.blocks[host] = kind
            if "unblock" in params:
                rt.blocks.pop(params["unblock"], None)
            if "fail" in params:  # fail=HOST:STATUS (503 when no status): the whole host answers STATUS
                host, _, status = params["fail"].partition(":")
                rt.failures[host] = int(status or 503)
            if "recover" in params:
                rt.failures.pop(params["recover"], None)
            return _json(self.state())
        return Response.text(404, "mirror: unknown control route")

    def state(self) -> dict[str, Any]:
        rt = self.runtime
        return {
            "epoch": self.site.epoch,
            "scenarios": list(self.site.scenarios),
            "known_scenarios": self.spec.scenarios,
            "switches": self.switches,
            "rate_limit": rt.rate_limit,
            "latency": rt.latency,
            "slow_seconds": rt.slow_seconds,
            "blocks": rt.blocks,
            "failures": rt.failures,
            "pages": sum(len(h.static) for h in self.site.hosts.values()),
        }

    def write_manifest(self, path: Path) -> None:
        path.write_text(json.dumps(self.manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def _json(data: Any) -> Response:
    return Response(
        200, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8"
    )
