"""`nianbao export --format csv|jsonl|parquet`: facts with agency, year and provenance columns."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import click

from cli.archive_context import EXIT_INPUT, fail, open_database, reports_storage_errors


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), default="csv", show_default=True
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout)."
)
@click.option("--agency", help="Only agencies whose name contains this.")
@click.option("--year", type=int, help="Only this statistical year.")
@click.option(
    "--all-versions", is_flag=True, help="Include superseded versions (see the version_status column)."
)
@click.option(
    "--excel", is_flag=True, help="CSV with a UTF-8 byte-order mark, so Excel reads the Chinese right."
)
@reports_storage_errors
def export_cmd(
    fmt: str, output: Path | None, agency: str | None, year: int | None, all_versions: bool, excel: bool
) -> None:
    """Write one row per fact: report and version ids, agency, year, template, table/row/col keys of
    docs/SCHEMA.md, value and raw text, and where it came from (source URL, fetch time, sha256, WARC
    file and offset, crawl run, parser version)."""
    from storage.export import iter_fact_rows, write_csv, write_jsonl, write_parquet

    if fmt == "parquet" and output is None:
        fail("parquet is a binary format: give a file with -o/--output", EXIT_INPUT)
    db = open_database()
    try:
        rows = iter_fact_rows(db, agency=agency, year=year, all_versions=all_versions)
        if fmt == "parquet":
            assert output is not None
            n = write_parquet(rows, output)
        else:
            # UTF-8 whatever the terminal's locale; with --excel, a byte-order mark first.
            encoding = "utf-8-sig" if excel else "utf-8"
            if output is not None:
                stream = open(output, "w", encoding=encoding, newline="")  # noqa: SIM115
            else:
                sys.stdout.flush()
                stream = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="")
            try:
                n = (write_csv if fmt == "csv" else write_jsonl)(rows, stream)
            finally:
                if output is not None:
                    stream.close()
                else:
                    stream.flush()
                    stream.detach()  # leave sys.stdout open
    finally:
        db.dispose()
    if output is not None:
        click.echo(f"{n} facts written to {output}", err=True)
