"""`nianbao ingest PATH...`: archive downloaded report files and parse them into reports."""

from __future__ import annotations

import click

from cli.archive_context import EXIT_INPUT, open_archive, print_json, reports_storage_errors


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False, path_type=str))
@click.option(
    "--strict", is_flag=True, help="Also exit non-zero when a file was archived but could not be parsed."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file and a summary.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary and the problems.")
@reports_storage_errors
def ingest_cmd(paths: tuple[str, ...], strict: bool, as_json: bool, quiet: bool) -> None:
    """Archive files (or every file under directories) as fetches with file:// provenance, then
    parse each into a report. Running it again on the same files adds nothing.

    Exit status: 0 when every file was archived (files the parser rejected are archived too, and
    listed); 1 when some file could not be archived (unreadable, empty, too large) or, with
    --strict, could not be parsed; 3 when the archive itself is not usable.
    """
    from storage.ingest import ingest

    def show(outcome) -> None:  # noqa: ANN001
        if as_json:
            report = outcome.report
            print_json(
                {
                    "path": outcome.path,
                    "status": outcome.status,
                    "fetch_id": outcome.fetch_id,
                    "new_blob": outcome.new_blob,
                    "report_id": report.report_id if report else None,
                    "version_id": report.version_id if report else None,
                    "report_outcome": report.outcome if report else None,
                    "parse_error": outcome.parse_error,
                    "message": outcome.message,
                }
            )
            return
        problem = outcome.status == "rejected" or outcome.parse_error
        if quiet and not problem:
            return
        click.echo(
            f"{outcome.status:<9} {outcome.path}: {outcome.message}", err=bool(outcome.status == "rejected")
        )

    with open_archive() as archive:
        summary = ingest(archive, paths, on_file=show)
        for rec in archive.recovered_warcs:
            what = (
                "removed (nothing complete in it)" if rec.removed else f"closed after {rec.records} records"
            )
            click.echo(f"note: WARC file {rec.name} left open by a crash was {what}", err=True)
        if archive.removed_parts:
            click.echo(f"note: removed {archive.removed_parts} partial blob(s) left by a crash", err=True)
    st = summary.stats()
    line = (
        f"ingest run {summary.run_id}: {st['files']} files, {st['archived']} archived "
        f"({st['new_blobs']} new blobs), {st['unchanged']} already archived, {st['rejected']} rejected, "
        f"{st['parse_failures']} not parsed; {st['new_reports']} new reports, {st['new_versions']} new versions"
    )
    if as_json:
        print_json({"summary": st, "run_id": summary.run_id, "warc_files": summary.warc_files})
    else:
        click.echo(line)
        for name in summary.warc_files:
            click.echo(f"  WARC {name}")
    if st["rejected"] or (strict and st["parse_failures"]):
        raise SystemExit(EXIT_INPUT)
