"""`nianbao reparse`: parse the archived bytes again with the current parser."""

from __future__ import annotations

import click

from cli.archive_context import open_archive, reports_storage_errors


@click.command("reparse")
@click.option(
    "--all", "all_versions", is_flag=True, help="Re-parse every version, not only older parsers' ones."
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary.")
@reports_storage_errors
def reparse_cmd(all_versions: bool, quiet: bool) -> None:
    """Re-parse report versions parsed by another parser version (and retry files that failed to
    parse) from the raw bytes in the archive. Facts, checks and search chunks are replaced; a
    `reparsed` event records which facts changed."""
    from storage.reparse import reparse

    def show(item) -> None:  # noqa: ANN001
        if not quiet:
            click.echo(f"{item.kind} {item.id}: {item.outcome} {item.message}")

    with open_archive() as archive:
        summary = reparse(archive, all_versions=all_versions, on_item=show)
    st = summary.stats()
    click.echo(
        f"reparse run {summary.run_id} with parser {summary.parser_version}: {st['updated']} versions changed, "
        f"{st['unchanged']} unchanged, {st['failed']} failed (old parse kept); "
        f"{st['parsed']} files parsed now, {st['still_failing']} still failing"
    )
