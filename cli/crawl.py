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
