"""`nianbao crawl`, `nianbao sources` and `nianbao new`: run the spiders, list the registry, show what changed.

Imports of Scrapy and the archive happen inside the commands, so `nianbao sources` stays instant.
"""

from __future__ import annotations

import json
import sys

import click

from crawler.registry import RegistryError, load_sites, registry_path


@click.command("sources")
@click.option("--json", "as_json", is_flag=True, help="Print the registry as JSON.")
def sources_cmd(as_json: bool) -> None:
    """List the sites in the registry (crawler/sites.yaml, or $NIANBAO_SITES)."""
    try:
        sites = load_sites()
    except RegistryError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in sites], ensure_ascii=False, indent=2))
        return
    click.echo(f"# {registry_path()}: {len(sites)} sites")
    for site in sites:
        state = "" if site.enabled else "  (disabled)"
        family = site.family if site.family == site.spider_family else f"{site.family} -> discovery"
        click.echo(
            f"{site.name:<12} {family:<10} {site.agency or '':<28} {', '.join(site.allowed_domains)}{state}"
        )
        for start in site.start_urls:
            extra = f" [{start.family}]" if start.family != site.family else ""
            extra += " (optional)" if start.optional else ""
            click.echo(f"{'':<12} {start.url}{extra}")


EXIT_LOCKED = 75  # EX_TEMPFAIL: another crawl of the source is running; try again later


@click.command("crawl")
@click.option(
    "--source", "sources", multiple=True, metavar="NAME", help="Crawl this registry entry (repeatable)."
)
@click.option(
    "--all", "all_sites", is_flag=True, help="Crawl every enabled entry of the registry (the default)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON instead of the summary.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Log Scrapy's messages to stderr instead of the log file."
)
def crawl_cmd(sources: tuple[str, ...], all_sites: bool, as_json: bool, verbose: bool) -> None:
    """Crawl the registry's sites: archive every response, parse and store the reports found.

    Exit status: 0 ok, 1 errors, 2 some host answered with an anti-bot page (and was skipped),
    75 another crawl of one of the sources is running.
    """
    from crawler.lock import SourceLocked
    from crawler.registry import select_sites
    from crawler.runner import data_dir, run_crawl
    from storage.errors import StorageError

    if sources and all_sites:
        raise click.UsageError("give --source NAME … or --all, not both")
    try:
        sites = select_sites(load_sites(), sources)
    except RegistryError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if not sites:
        click.echo("error: no enabled sites in the registry", err=True)
        sys.exit(1)
    stamp = __import__("time").strftime("%Y%m%dT%H%M%S")
    log_file = None if verbose else data_dir() / "logs" / f"crawl-{stamp}.log"
    try:
        state = run_crawl(sites, log_file=log_file)
    except SourceLocked as exc:
        click.echo(f"nianbao crawl: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    except StorageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(state.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(state.summary())
        report = data_dir() / "runs" / f"run-{state.run_id}.json"
        click.echo(f"  run report: {report}")
        if log_file is not None:
            click.echo(f"  log: {log_file}")
    sys.exit(state.exit_code)


NEW_KINDS = ("new_report", "changed", "corrected", "gone", "reappeared")
KIND_LABEL = {
    "new_report": "new",
    "changed": "changed",
    "corrected": "corrected",
    "gone": "gone",
    "reappeared": "back",
}


@click.command("new")
@click.option("--since", "since", metavar="DATE", help="Events since this date (YYYY-MM-DD or ISO 8601).")
@click.option("--since-last-crawl", is_flag=True, help="Events of the latest crawl (the default).")
@click.option("--json", "as_json", is_flag=True, help="Print the events as a JSON array.")
def new_cmd(since: str | None, since_last_crawl: bool, as_json: bool) -> None:
    """Reports first seen, changed, corrected or gone: since a date, or in the latest crawl."""
    from datetime import UTC, datetime

    from crawler.archive_ext import CrawlArchive
    from storage.errors import StorageError

    if since and since_last_crawl:
        raise click.UsageError("give --since DATE or --since-last-crawl, not both")
    try:
        archive = CrawlArchive.open()
    except StorageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    try:
        if since:
            try:
                start = datetime.fromisoformat(since)
            except ValueError:
                raise click.BadParameter(
                    f"{since!r} is not a date (YYYY-MM-DD)", param_hint="--since"
                ) from None
            if start.tzinfo is None:
                start = start.replace(tzinfo=UTC)
        else:
            start = archive.last_crawl_started()
            if start is None:
                click.echo("no crawl has run yet" if not as_json else "[]")
                return
        events = archive.events(since=start, kinds=NEW_KINDS)
    finally:
        archive.close()
    if as_json:
        click.echo(json.dumps([e.to_dict() for e in events], ensure_ascii=False, indent=2))
        return
    if not events:
        click.echo(f"nothing new since {start:%Y-%m-%d %H:%M} UTC")
        return
    click.echo(f"{len(events)} events since {start:%Y-%m-%d %H:%M} UTC")
    for e in events:
        what = e.title or f"{e.agency or '?'} {e.year or ''}".strip()
        click.echo(
            f"{KIND_LABEL.get(e.kind, e.kind):<9} {e.occurred_at:%Y-%m-%d %H:%M}  {e.year or '':<4}  {what}"
        )
        if e.url:
            click.echo(f"{'':<9} {e.url}")


# The sites the mirror serves (the registry's www.yinchuan.gov.cn is not mirrored).
DEMO_SOURCES = ("kw", "zgcgw", "beijing", "bjft", "bjmy", "bjdx", "bjhr", "bjxch", "ycjinfeng")
# Test timings against a loopback server; production defaults stay polite (crawler/settings.py).
DEMO_TIMINGS = {
    "NIANBAO_CRAWL_DELAY": "0",
    "NIANBAO_AUTOTHROTTLE": "0",
    "NIANBAO_OBEY_CRAWL_DELAY": "0",
    "NIANBAO_DOWNLOAD_TIMEOUT": "4",
    "NIANBAO_RETRY_BACKOFF": "0.1",
    "NIANBAO_RETRY_AFTER_MAX": "3",
}


@click.command("demo")
@click.option(
    "--data-dir",
    default="var/demo",
    show_default=True,
    type=click.Path(),
    help="Where the demo archive goes.",
)
def demo_cmd(data_dir: str) -> None:
    """The whole pipeline offline: crawl the local mirror twice (a day apart), then `new` and a search.

    Starts the mirror of the target sites on a loopback port, points the crawler at it the production way
    (http_proxy/https_proxy), crawls every mirrored site into a fresh archive under DATA_DIR (SQLite),
    lets a "day" pass on the mirror (a new report, a corrected one, silently replaced ones, a removed
    one), crawls again, and shows what `nianbao new` and `nianbao search` report.
    """
    import os
    import shutil
    import subprocess
    from pathlib import Path

    from mirror.testing import running_mirror

    data = Path(data_dir)
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("NIANBAO_") and k.lower() not in ("http_proxy", "https_proxy")
    }
    env.update(DEMO_TIMINGS, NIANBAO_DATA_DIR=str(data))
    nianbao = [sys.executable, "-m", "cli.main"]

    def run(*args: str, check: bool = True) -> int:
        click.secho(f"$ nianbao {' '.join(args)}", fg="cyan")
        code = subprocess.run([*nianbao, *args], env=env).returncode
        if check and code not in (0, 1, 2):
            raise SystemExit(code)
        return code

    run("db", "upgrade")
    click.echo("starting the mirror of the target sites (epoch 2025) …")
    with running_mirror(epoch=2025) as mirror:
        env.update(http_proxy=mirror.proxy_url, https_proxy=mirror.proxy_url)
        click.echo(
            f"mirror at {mirror.proxy_url}; crawling as on day 1 (exit 1 and 2 are expected: the mirror"
        )
        click.echo("plants a truncated page, a slow page and a robots.txt that disallows a whole host)")
        sources = [arg for s in DEMO_SOURCES for arg in ("--source", s)]
        run("crawl", *sources)
        click.echo("\nday 2: a new report, a corrected one, two silently replaced, one taken down")
        mirror.switch(epoch=2025, scenarios={"new_report", "corrected", "replaced", "disappears"})
        run("crawl", *sources)
    click.echo()
    run("new", "--since-last-crawl")
    click.echo()
    run("search", "信息公开", "--year", "2024", "--limit", "5")
    click.echo(
        f"\nthe archive is in {data}/ (WARC files in {data}/warc, the feed in {data}/feeds/events.atom)"
    )
