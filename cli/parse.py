"""`nianbao parse FILE... [--json]`: run the parser on files and show what it read.

Without --json: a short summary per file (agency, year, template, facts, failed checks, warnings).
With --json: the report document of docs/SCHEMA.md, one object for one file, an array for several.
Exit 0 when every file parsed, 1 when any could not be (the reason goes to stderr).
"""

from __future__ import annotations

import json
import mimetypes
import sys
from collections import Counter
from pathlib import Path

import click


@click.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the parsed documents as JSON.")
@click.option("--max-seconds", type=float, default=None, help="Time limit per document (default 60).")
def parse_cmd(files: tuple[Path, ...], as_json: bool, max_seconds: float | None) -> None:
    """Parse annual reports (HTML, PDF, DOCX, DOC/WPS, XLS/XLSX, text) and print what was read."""
    from parsers import Limits, ParseError, parse

    limits = Limits(max_seconds=max_seconds) if max_seconds else Limits()
    docs = []
    failed = False
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            click.echo(f"nianbao parse: {path}: cannot read the file: {exc.strerror or exc}", err=True)
            failed = True
            continue
        media_type = mimetypes.guess_type(path.name)[0]
        try:
            doc = parse(data, media_type=media_type, url=str(path), limits=limits)
        except ParseError as exc:
            click.echo(f"nianbao parse: {path}: {exc.kind}: {exc.reason}", err=True)
            failed = True
            continue
        docs.append(doc)
        if not as_json:
            click.echo(summary(path, doc))
    if as_json:
        payload = docs[0].to_dict() if len(files) == 1 and docs else [d.to_dict() for d in docs]
        if docs or len(files) > 1:
            click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    sys.exit(1 if failed else 0)


def summary(path: Path, doc) -> str:
    per_table = Counter(f.table for f in doc.facts)
    tables = ", ".join(f"{t} {n}" for t, n in per_table.items())
    failed = [c for c in doc.checks if not c.ok]
    lines = [
        str(path),
        f"  agency    {doc.agency or '-'}",
        f"  year      {doc.year or '-'}",
        f"  template  {doc.template or '-'}",
        f"  title     {doc.title or '-'}",
        f"  facts     {len(doc.facts)}" + (f" ({tables})" if tables else ""),
        f"  sections  {len(doc.sections)}",
        f"  checks    {len(doc.checks)} run, {len(failed)} failed",
    ]
    for c in failed:
        lines.append(f"    FAILED {c.rule} at {c.where}: expected {c.expected}, printed {c.actual}")
    lines.append(f"  warnings  {len(doc.warnings)}")
    lines.extend(f"    - {w}" for w in doc.warnings)
    return "\n".join(lines)
