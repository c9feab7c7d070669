"""Export facts, one row per fact with its agency, year and provenance, as CSV, JSON Lines or Parquet.

Rows are streamed from the database in batches (`yield_per`), so an export of the whole archive
never holds it in memory. By default only the current version of each report is exported;
`all_versions=True` adds the superseded ones (with `version_status`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Select, select

from storage.db import Database
from storage.models import Fact, Fetch, Report, ReportVersion
from storage.queries import number

COLUMNS = [
    "report_id",
    "version_id",
    "version_status",
    "agency",
    "year",
    "template",
    "table",
    "row",
    "col",
    "value",
    "raw",
    "label",
    "unit",
    "page",
    "report_status",
    "published",
    "parser_version",
    "parsed_at",
    "source_url",
    "fetched_at",
    "sha256",
    "warc_file",
    "warc_offset",
    "crawl_run_id",
]
FORMATS = ("csv", "jsonl", "parquet")
BATCH = 5000


def _query(agency: str | None, year: int | None, all_versions: bool) -> Select:
    stmt = (
        select(
            Report.id.label("report_id"),
            ReportVersion.id.label("version_id"),
            ReportVersion.status.label("version_status"),
            Report.agency,
            Report.year,
            ReportVersion.template,
            Fact.table_key.label("table"),
            Fact.row_key.label("row"),
            Fact.col_key.label("col"),
            Fact.value,
            Fact.raw,
            Fact.label,
            Fact.unit,
            Fact.page,
            Report.status.label("report_status"),
            ReportVersion.published,
            ReportVersion.parser_version,
            ReportVersion.parsed_at,
            Fetch.final_url.label("source_url"),
            Fetch.fetched_at,
            ReportVersion.sha256,
            Fetch.warc_file,
            Fetch.warc_offset,
            Fetch.run_id.label("crawl_run_id"),
        )
        .join(ReportVersion, ReportVersion.id == Fact.version_id)
        .join(Report, Report.id == ReportVersion.report_id)
        .join(Fetch, Fetch.id == ReportVersion.parsed_fetch_id)
        .order_by(Report.agency, Report.year, Report.id, ReportVersion.number, Fact.id)
    )
    if not all_versions:
        stmt = stmt.where(ReportVersion.status == "current")
    if agency:
        stmt = stmt.where(Report.agency.contains(agency, autoescape=True))
    if year is not None:
        stmt = stmt.where(Report.year == year)
    return stmt


def iter_fact_rows(
    db: Database, *, agency: str | None = None, year: int | None = None, all_versions: bool = False
) -> Iterator[dict[str, Any]]:
    with db.session() as s:
        for row in s.execute(_query(agency, year, all_versions).execution_options(yield_per=BATCH)):
            d = dict(row._mapping)
            d["value"] = number(d["value"])
            for key in ("published", "parsed_at", "fetched_at"):
                if d[key] is not None:
                    d[key] = d[key].isoformat()
            yield d


def write_csv(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def write_jsonl(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_parquet(rows: Iterator[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("report_id", pa.int64()),
            ("version_id", pa.int64()),
            ("version_status", pa.string()),
            ("agency", pa.string()),
            ("year", pa.int32()),
            ("template", pa.string()),
            ("table", pa.string()),
            ("row", pa.string()),
            ("col", pa.string()),
            ("value", pa.float64()),
            ("raw", pa.string()),
            ("label", pa.string()),
            ("unit", pa.string()),
            ("page", pa.int32()),
            ("report_status", pa.string()),
            ("published", pa.string()),
            ("parser_version", pa.string()),
            ("parsed_at", pa.string()),
            ("source_url", pa.string()),
            ("fetched_at", pa.string()),
            ("sha256", pa.string()),
            ("warc_file", pa.string()),
            ("warc_offset", pa.int64()),
            ("crawl_run_id", pa.int64()),
        ]
    )
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n
