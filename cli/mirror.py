"""`nianbao mirror`: serve, build and describe the local mirror of the target government sites."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import click


def _controller(epoch: int | None, scenario: str, scale: int):  # noqa: ANN202 - imported lazily
    from mirror.control import Controller

    scenarios = {s for s in scenario.split(",") if s}
    return Controller(epoch=epoch, scenarios=scenarios, scale=scale)


@click.group("mirror")
def mirror_group() -> None:
    """A local mirror of the target sites (proxy server), for tests, benchmarks and the offline demo."""


@mirror_group.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (keep it loopback)."
)
@click.option("--port", default=8899, show_default=True, type=int, help="0 picks a free port.")
@click.option(
    "--epoch", type=click.Choice(["2023", "2025"]), default=None, help="2023: Hanweb kw; 2025: TRS kw."
)
@click.option("--scenario", default="", help="Comma-separated: new_report,corrected,replaced,disappears.")
@click.option("--scale", default=0, type=int, help="Extra synthetic agencies per year (benchmarks).")
@click.option("--latency", default=0.0, type=float, help="Seconds added to every answer.")
@click.option("--rate-limit", is_flag=True, help="Answer 429 past 5 requests per second per host.")
@click.option("--slow", default=8.0, type=float, show_default=True, help="Delay of the slow page (E24).")
@click.option("--block", multiple=True, help="HOST:KIND, e.g. www.bjmy.gov.cn:ruishu412 (repeatable).")
def serve_cmd(
    host: str,
    port: int,
    epoch: str | None,
    scenario: str,
    scale: int,
    latency: float,
    rate_limit: bool,
    slow: float,
    block: tuple[str, ...],
) -> None:
    """Serve the mirror until interrupted; prints how to point curl, a browser or Scrapy at it."""
    from mirror.server import MirrorServer

    t = time.monotonic()
    ctl = _controller(int(epoch) if epoch else None, scenario, scale)
    rt = ctl.runtime
    rt.latency, rt.rate_limit, rt.slow_seconds = latency, rate_limit, slow
    for b in block:
        h, _, kind = b.partition(":")
        rt.blocks[h] = kind
    server = MirrorServer(ctl, host=host, port=port)

    async def main() -> None:
        bound = await server.start()
        ctl.addr = f"{host}:{bound}"
        proxy = f"http://{host}:{bound}"
        st = ctl.state()
        click.echo(
            f"nianbao mirror: epoch {st['epoch']}, scenarios {st['scenarios'] or 'none'}, {st['pages']} resources "
            f"on {len(ctl.site.hosts)} hosts (built in {time.monotonic() - t:.1f}s)\n"
            f"  proxy    {proxy}\n"
            f"  curl     curl --proxy {proxy} http://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/\n"
            f"           curl --proxy {proxy} -k https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/\n"
            f"  browser  chromium --proxy-server={proxy} --ignore-certificate-errors http://www.bjmy.gov.cn/\n"
            f"  scrapy   export http_proxy={proxy} https_proxy={proxy}   (or request.meta['proxy'])\n"
            f"  prefix   {proxy}/_h/kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/\n"
            f"  control  {proxy}/_mirror/state   {proxy}/_mirror/scenario?epoch=2023&scenario=new_report\n"
            f"  hosts    {' '.join(sorted(ctl.site.hosts))}"
        )
        sys.stdout.flush()
        await asyncio.Event().wait()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        click.echo("mirror stopped")
    except OSError as e:  # most often: the port is taken
        raise click.ClickException(f"cannot serve on {host}:{port}: {e.strerror or e}") from e


@mirror_group.command("manifest")
@click.option("--epoch", type=click.Choice(["2023", "2025"]), default=None)
@click.option("--scenario", default="")
@click.option("--scale", default=0, type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def manifest_cmd(epoch: str | None, scenario: str, scale: int, output: Path | None) -> None:
    """Write the ground-truth manifest of the mirror in that state (JSON)."""
    ctl = _controller(int(epoch) if epoch else None, scenario, scale)
    text = json.dumps(ctl.manifest, ensure_ascii=False, indent=1)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{len(ctl.manifest['reports'])} reports -> {output}")


@mirror_group.command("build")
@click.option("--epoch", type=click.Choice(["2023", "2025"]), default=None)
@click.option("--scenario", default="")
@click.option("--scale", default=0, type=int)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
def build_cmd(epoch: str | None, scenario: str, scale: int, out: Path) -> None:
    """Write the mirror's static 200 resources as files under OUT/{host}/{path} (plus manifest.json)."""
    t = time.monotonic()
    ctl = _controller(int(epoch) if epoch else None, scenario, scale)
    built = time.monotonic() - t
    n = write_site(ctl, out)
    (out / "manifest.json").write_text(
        json.dumps(ctl.manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    click.echo(f"built in {built:.1f}s; wrote {n} files under {out}")


def write_site(ctl, out: Path) -> int:  # noqa: ANN001
    """Static files only: redirects, dynamic endpoints and failure modes exist only in the server."""
    n = 0
    for host, site in ctl.site.hosts.items():
        for path, res in site.static.items():
            if res.status != 200:
                continue
            rel = path.lstrip("/")
            if rel == "" or rel.endswith("/"):
                rel += "index.html"
            target = out / host / rel
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(res.body)
            n += 1
    return n
