"""Mirror benchmark: build time at scale, and pages per second served on one core.

Baseline: Python's own static file server (http.server.ThreadingHTTPServer, HTTP/1.1 keep-alive) serving the
same pages from disk, as written by `nianbao mirror build`. Ours: the mirror in forward-proxy mode (plain
http, absolute-form requests) and through CONNECT tunnels with TLS. Each server runs in its own process
pinned to one core; the load generator (asyncio, keep-alive connections) runs on the other core. The run
prints both rates and the ratio.

    .venv/bin/python bench/mirror_bench.py                 # scale 520: about 10,500 pages
    .venv/bin/python bench/mirror_bench.py --scale 50 --requests 3000   # quick
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import http.server
import multiprocessing as mp
import os
import random
import shutil
import ssl
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _pin(core: int) -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {core})


def _serve_mirror(scale: int, q: mp.Queue) -> None:
    _pin(0)
    from mirror.control import Controller
    from mirror.server import MirrorServer

    ctl = Controller(epoch=2025, scale=scale)
    ctl.runtime.keep_log = False  # a benchmark run would otherwise keep every request in memory
    for host in ctl.site.hosts.values():
        host.https_only = False  # E3 off, so plain-http mode fetches the same pages as the other modes
    server = MirrorServer(ctl, port=0)

    async def main() -> None:
        port = await server.start()
        ctl.tls_context()
        q.put(port)
        await asyncio.Event().wait()

    asyncio.run(main())


class _Quiet(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # without it, headers and body written apart stall on delayed ACKs

    def log_message(self, *a: object) -> None:
        pass


def _serve_static(root: str, q: mp.Queue) -> None:
    _pin(0)
    handler = functools.partial(_Quiet, directory=root)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    q.put(srv.server_address[1])
    srv.serve_forever()


async def _client(port: int, targets: list[tuple[str, str]], conns: int, mode: str) -> tuple[int, int, float]:
    """(answers, bytes, seconds) for GETs of `targets` [(host, path)] spread over `conns` connections."""
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    per = [targets[i::conns] for i in range(conns)]
    total = {"n": 0, "bytes": 0}

    async def one(batch: list[tuple[str, str]]) -> None:
        by_host: dict[str, list[str]] = {}
        for h, p in batch:
            by_host.setdefault(h, []).append(p)
        for host, paths in by_host.items():
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            if mode == "tls":
                writer.write(f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n".encode())
                await writer.drain()
                await reader.readuntil(b"\r\n\r\n")
                await writer.start_tls(ctx, server_hostname=host)
            for path in paths:
                if mode == "proxy":
                    line = f"GET http://{host}{path} HTTP/1.1\r\nHost: {host}\r\n\r\n"
                elif mode == "tls":
                    line = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n"
                else:  # static baseline: files under /{host}/{path}
                    line = f"GET /{host}{path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                writer.write(line.encode())
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for h in head.split(b"\r\n"):
                    if h[:15].lower() == b"content-length:":
                        length = int(h[15:])
                body = await reader.readexactly(length)
                if not head.startswith(b"HTTP/1.1 200") and not head.startswith(b"HTTP/1.0 200"):
                    raise RuntimeError(f"{host}{path}: {head[:40]!r}")
                total["n"] += 1
                total["bytes"] += len(body)
            writer.close()

    t = time.perf_counter()
    await asyncio.gather(*(one(b) for b in per))
    return total["n"], total["bytes"], time.perf_counter() - t


def _targets(ctl, n: int, seed: int = 7) -> list[tuple[str, str]]:  # noqa: ANN001
    pages = [
        (h, p)
        for h, site in ctl.site.hosts.items()
        for p, r in site.static.items()
        if r.status == 200 and r.content_type.startswith("text/html") and not p.endswith("/") and r.delay == 0
        and not r.truncate and h != "blocked.mirror.test"
    ]  # fmt: skip
    rnd = random.Random(seed)
    return [rnd.choice(pages) for _ in range(n)]


def _run(port: int, targets: list[tuple[str, str]], conns: int, mode: str) -> tuple[float, float]:
    _pin(1)
    n, nbytes, secs = asyncio.run(_client(port, targets, conns, mode))
    return n / secs, nbytes / secs / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=520, help="extra agencies per year (520 -> ~10,500 pages)")
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--conns", type=int, default=8)
    args = ap.parse_args()

    from cli.mirror import write_site
    from mirror.control import Controller

    t = time.perf_counter()
    ctl = Controller(epoch=2025, scale=args.scale)
    build = time.perf_counter() - t
    pages = sum(1 for s in ctl.site.hosts.values() for r in s.static.values() if r.status == 200)
    reports = len(ctl.manifest["reports"])
    print(f"build: {pages} resources ({reports} reports) in {build:.1f}s  (goal: 10,000+ pages in < 60 s)")
    t = time.perf_counter()
    ctl.switch(scenarios={"new_report"})
    print(
        f"scenario switch (rebuild from memoised renders + validator carry-over): {time.perf_counter() - t:.1f}s"
    )

    root = Path(tempfile.mkdtemp(prefix="mirror-bench-"))
    try:
        write_site(ctl, root)
        ctl.switch(scenarios=set())
        targets = _targets(ctl, args.requests)
        ctx = mp.get_context("spawn")
        results = {}
        for name, fn, fargs, mode in (
            ("baseline http.server (static files, keep-alive)", _serve_static, (str(root),), "static"),
            ("mirror, proxy mode (http)", _serve_mirror, (args.scale,), "proxy"),
            ("mirror, CONNECT + TLS tunnel (https)", _serve_mirror, (args.scale,), "tls"),
        ):
            q: mp.Queue = ctx.Queue()
            proc = ctx.Process(target=fn, args=(*fargs, q), daemon=True)
            proc.start()
            port = q.get(timeout=300)
            try:
                _run(port, targets[:500], args.conns, mode)  # warm-up (first gzip/TLS session costs)
                rate, mbps = _run(port, targets, args.conns, mode)
            finally:
                proc.terminate()
                proc.join(5)
            results[mode] = rate
            print(f"{name:48s} {rate:8.0f} pages/s  {mbps:7.1f} MB/s")
        base = results["static"]
        print(f"ratio mirror/baseline: proxy {results['proxy'] / base:.2f}x, tls {results['tls'] / base:.2f}x "
              f"(goal: >= 1000 pages/s on one core)")  # fmt: skip
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
