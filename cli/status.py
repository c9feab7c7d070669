"""`nianbao status`: what the archive holds, the last runs, and the disk it uses."""

from __future__ import annotations

import click

from cli.archive_context import open_database, print_json, reports_storage_errors


def _size(n: int | None) -> str:
    if n is None:
        return "?"
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


@click.command("status")
@click.option("--json", "as_json", is_flag=True)
@reports_storage_errors
def status_cmd(as_json: bool) -> None:
    """Counts (sources, runs, fetches, blobs, reports by status, versions, facts, failed checks,
    events), the last crawl, ingest and reparse runs, and disk use."""
    from storage.queries import archive_status
    from storage.settings import Settings

    db = open_database()
    try:
        st = archive_status(db, Settings.from_env())
    finally:
        db.dispose()
    if as_json:
        print_json(st)
        return
    c = st["counts"]
    click.echo(f"database  {st['database']}")
    click.echo(f"data dir  {st['data_dir']}")
    by_status = ", ".join(f"{n} {k}" for k, n in sorted(c["reports_by_status"].items())) or "none"
    click.echo(f"reports   {c['reports']} ({by_status}), {c['report_versions']} versions")
    click.echo(f"facts     {c['facts']} ({c['failed_checks']} failed checks)")
    click.echo(
        f"fetches   {c['fetches']} ({c['fetches_not_parsed']} could not be parsed), {c['sources']} sources"
    )
    click.echo(f"blobs     {c['blobs']} ({_size(c['blob_bytes'])} decoded)")
    click.echo(f"search    {c['chunks']} chunks; events {c['events']}")
    click.echo(
        f"parser    {st['parser_version']}; {st['versions_parsed_by_older_parser']} versions parsed by another "
        "version (nianbao reparse)"
    )
    for kind, run in st["last_runs"].items():
        click.echo(
            f"last {kind:<7} run {run['run_id']} {run['status']}, {run['started_at']} … {run['finished_at'] or ''}"
        )
    if "crawl" not in st["last_runs"]:
        click.echo("last crawl  none yet")
    d = st["disk"]
    click.echo(
        f"disk      blobs {_size(d['blobs_bytes'])}, WARC {_size(d['warc_bytes'])} in {d['warc_files']} files, "
        f"database {_size(d['database_bytes'])}"
    )
