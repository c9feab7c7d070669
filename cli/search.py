"""`nianbao search QUERY`: Chinese full-text search over the archived reports."""

from __future__ import annotations

import sys

import click

from cli.archive_context import EXIT_INPUT, fail, open_database, print_json, reports_storage_errors


def _highlight(text: str, spans: list[tuple[int, int]], tty: bool) -> str:
    out, pos = [], 0
    for start, end in spans:
        out.append(text[pos:start])
        word = text[start:end]
        out.append(click.style(word, fg="red", bold=True) if tty else f"【{word}】")
        pos = end
    out.append(text[pos:])
    return "".join(out)


@click.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--agency", help="Only reports of agencies whose name contains this.")
@click.option("--year", type=int, help="Only reports of this statistical year.")
@click.option(
    "--template", type=click.Choice(["T2008", "T2019", "T2021"]), help="Only this template generation."
)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Passages shown.")
@click.option(
    "--per-report",
    type=click.IntRange(1, 1000),
    default=3,
    show_default=True,
    help="Passages shown per report.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@reports_storage_errors
def search_cmd(
    query: tuple[str, ...],
    agency: str | None,
    year: int | None,
    template: str | None,
    limit: int,
    per_report: int,
    as_json: bool,
) -> None:
    """Find reports containing every word of QUERY exactly (words are separated by spaces; a word of
    two or more characters uses the index). Newest years first."""
    from storage.search import QueryError, search

    db = open_database()
    try:
        result = search(
            db,
            " ".join(query),
            agency=agency,
            year=year,
            template=template,
            limit=limit,
            per_report=per_report,
        )
    except QueryError as exc:
        fail(str(exc), EXIT_INPUT)
        return
    finally:
        db.dispose()
    if as_json:
        print_json(result.to_dict())
        return
    tty = sys.stdout.isatty()
    if result.scanned:
        click.echo("note: one-character words cannot use the index; the whole archive was scanned", err=True)
    if not result.hits:
        click.echo(f"no hits for {' '.join(query)!r}")
        return
    shown_report = None
    for hit in result.hits:
        if hit.report_id != shown_report:
            # Hits come grouped by report (newest year first): one header per report.
            shown_report = hit.report_id
            status = "" if hit.report_status == "current" else f" [{hit.report_status}]"
            click.echo(f"[{hit.year or '?'}] {hit.agency or '?'}: {hit.title or '(no title)'}{status}")
            click.echo(f"    report {hit.report_id} · {hit.url or ''}")
        heading = hit.heading if hit.heading and not hit.snippet.startswith(hit.heading) else None
        where = " · ".join(x for x in (heading, f"page {hit.page}" if hit.page else None) if x)
        click.echo(f"    - {where + ': ' if where else ''}{_highlight(hit.snippet, hit.highlights, tty)}")
    reports = len({h.report_id for h in result.hits})
    more = " (there are more: raise --limit or --per-report, or add --agency/--year)" if result.more else ""
    click.echo(f"{len(result.hits)} passages in {reports} reports{more}")
