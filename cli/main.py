"""The `nianbao` command: one obvious entry point, one module per command group.

Commands are imported only when run, so `nianbao --help` stays fast and a command that needs Scrapy
does not slow down one that only reads the archive.
"""

from __future__ import annotations

import importlib

import click

# name -> "module:attribute" of a click command or group. Add a command by adding a line here.
COMMANDS: dict[str, str] = {
    "mirror": "cli.mirror:mirror_group",
    "parse": "cli.parse:parse_cmd",
    "crawl": "cli.crawl:crawl_cmd",
    "sources": "cli.crawl:sources_cmd",
    "new": "cli.crawl:new_cmd",
    "demo": "cli.crawl:demo_cmd",
    "db": "cli.db:db_group",
    "ingest": "cli.ingest:ingest_cmd",
    "search": "cli.search:search_cmd",
    "show": "cli.show:show_cmd",
    "export": "cli.export:export_cmd",
    "status": "cli.status:status_cmd",
    "reparse": "cli.reparse:reparse_cmd",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nianbao")
def cli() -> None:
    """nianbao: crawl, archive, parse and search government information-disclosure annual reports."""


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
