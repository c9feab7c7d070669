"""`nianbao show REPORT_ID`: one report with its versions, provenance, facts, checks and events."""

from __future__ import annotations

import click

from cli.archive_context import EXIT_INPUT, fail, open_database, print_json, reports_storage_errors


@click.command("show")
@click.argument("report_id", type=int)
@click.option("--version", "version_id", type=int, help="Show the facts and checks of this version id.")
@click.option("--json", "as_json", is_flag=True, help="Print everything as JSON.")
@click.option("--all-facts", is_flag=True, help="List every fact (default: the first 40).")
@reports_storage_errors
def show_cmd(report_id: int, version_id: int | None, as_json: bool, all_facts: bool) -> None:
    """Show a report: where and when each version was fetched (URL, WARC file and offset, sha256,
    crawl run, parser version), its facts and the consistency checks."""
    from storage.queries import report_detail

    db = open_database()
    try:
        detail = report_detail(db, report_id, version_id)
    except KeyError as exc:
        fail(str(exc.args[0]), EXIT_INPUT)
        return
    finally:
        db.dispose()
    if detail is None:
        fail(f"no report {report_id}", EXIT_INPUT)
        return
    if as_json:
        print_json(detail)
        return
    d = detail
    click.echo(f"report {d['report_id']}: {d['title'] or '(no title)'}")
    click.echo(
        f"  agency {d['agency'] or '?'} · year {d['year'] or '?'} · status {d['status']} · source {d['source']}"
    )
    click.echo(f"  first seen {d['first_seen']} · last seen {d['last_seen']}")
    click.echo("  urls:")
    for u in d["urls"]:
        click.echo(f"    {u['url']} ({u['role']}, {u['first_seen']} … {u['last_seen']})")
    click.echo("  versions:")
    for v in d["versions"]:
        mark = "*" if v["version_id"] == d["shown_version_id"] else " "
        corr = " correction" if v["is_correction"] else ""
        click.echo(
            f"   {mark}v{v['number']} (id {v['version_id']}) {v['status']}{corr} · {v['template'] or '?'} · "
            f"parser {v['parser_version']} · parsed {v['parsed_at']}"
        )
        if v.get("published"):
            how = {"meta": "its PubDate meta", "page": "its date line", "url": "its URL"}
            click.echo(f"      published {v['published']}, as {how.get(v['published_from'], '?')} says")
        p = v["parsed_from"]
        if p:
            click.echo(f"      bytes sha256 {v['sha256']} ({p['media_type']}, {p['size']} bytes)")
            click.echo(f"      fetched {p['fetched_at']} from {p['final_url']} (run {p['crawl_run_id']})")
            click.echo(f"      WARC {p['warc_file']} offset {p['warc_offset']} ({p['warc_record_type']})")
        others = [f for f in v["fetches"] if p is None or f["fetch_id"] != p["fetch_id"]]
        for f in others:
            click.echo(
                f"      also {f['role']} {f['final_url']} at {f['fetched_at']} ({f['warc_record_type']})"
            )
        for w in v["warnings"][:5]:
            click.echo(f"      warning: {w}")
    facts = d["facts"] if all_facts else d["facts"][:40]
    click.echo(f"  facts ({len(d['facts'])}):")
    for f in facts:
        unit = f" {f['unit']}" if f.get("unit") else ""
        click.echo(f"    {f['table']}.{f['row']}.{f['col']} = {f['value']}{unit}  [{f['raw']}]")
    if len(facts) < len(d["facts"]):
        click.echo(f"    … {len(d['facts']) - len(facts)} more (--all-facts)")
    failed = [c for c in d["checks"] if not c["ok"]]
    click.echo(f"  checks: {len(d['checks'])}, {len(failed)} failed")
    for c in failed:
        click.echo(f"    FAIL {c['rule']} at {c['where']}: expected {c['expected']}, printed {c['actual']}")
    click.echo("  events:")
    for e in d["events"]:
        click.echo(f"    {e['occurred_at']} {e['kind']} (run {e['crawl_run_id']})")
