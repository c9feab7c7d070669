"""Search benchmark: our CJK-bigram index against a `LIKE '%…%'` scan, on PostgreSQL and SQLite.

Builds an archive of N synthetic reports (default 20,000; `--reports 100000` for the goal size) on a
fresh PostgreSQL database (dropped afterwards) and a fresh SQLite file, through the same code that
`store_report` uses to write and index chunks. Then, in the same run, times `storage.search.search()`
(index + exact recheck + snippets: what `nianbao search` does) and a plain `LIKE '%term%'` scan of
the same chunks with the same filters, order and limit, for 2-character, 4-character and phrase
queries, each with no filter, a year filter and an agency filter. It checks that both return the
same hits, prints p50/p95 latency per group and the ratio scan/ours.

Goal (the issue): p95 ≤ 50 ms for filtered queries on PostgreSQL at 100,000 reports, and ≥ 10x
faster than the scan.

    .venv/bin/python bench/search_bench.py                       # 20,000 reports, both backends
    .venv/bin/python bench/search_bench.py --reports 100000      # the goal size
    .venv/bin/python bench/search_bench.py --backends postgresql --reports 2000 --repeat 5   # quick
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from storage import migrations  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Agency, Blob, Chunk, CrawlRun, Fetch, Report, ReportVersion, Source, utcnow  # noqa: E402
from storage.search import _COLUMNS, _first_exact, build_hits, search, search_order  # noqa: E402
from storage.search_index import insert_chunks  # noqa: E402
from storage.settings import normalize_database_url  # noqa: E402
from storage.tokens import parse_query  # noqa: E402

# --- synthetic reports ------------------------------------------------------------------------

# Common GB2312 level-1 characters for place names (not the rare ones below).
PLACE_CHARS = (
    "东南西北中安平和兴华新阳山河江湖海云天长宁远泰康丰顺德昌明光荣金银石林水田高城乐永福文武开"
    "清春秋临城庄桥源溪岭峰台寨堡镇乡村坪塘湾洲岛港口关门嘉定宝通州延庆怀柔密云昌平房大兴顺义朝"
)
AGENCY_KINDS = [
    "区科学技术局",
    "市发展和改革委员会",
    "县人民政府办公室",
    "区教育委员会",
    "市生态环境局",
    "区市场监督管理局",
    "县财政局",
    "区卫生健康委员会",
    "市交通运输局",
    "区住房和城乡建设委员会",
]
RARE_PLACE = "炔即"  # characters that occur nowhere else in the corpus
SENTENCES = [
    "{year}年，{agency}深入贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。",
    "本年新收政府信息公开申请{n1}件，上年结转政府信息公开申请{n2}件。",
    "主动公开政府信息{n3}条，其中规范性文件{n4}件，通过政府网站公开信息{n5}条。",
    "全年共召开新闻发布会{n6}次，发布政策解读稿件{n7}篇，回应公众关注热点{n8}次。",
    "收到申请{n1}件，予以公开{n9}件，部分公开{n10}件，不予公开{n11}件。",
    "因政府信息公开申请引发行政复议{n12}件、行政诉讼{n13}件，结果均为维持。",
    "持续完善政府信息公开指南和目录，健全保密审查机制，所有主动公开信息均执行保密审查程序。",
    "加强政府网站和政务新媒体建设，优化信息公开专栏，提升公开实效。",
    "存在的主要问题是公开内容的及时性和解读的针对性有待提高，下一步将加强培训和督促检查。",
    "围绕重点领域加大公开力度，及时公开财政预决算、重大建设项目和公共资源配置信息。",
    "办理人大代表建议和政协委员提案{n14}件，均已按时答复并依法公开。",
    "依申请公开工作中未收取任何费用，未发生因政府信息公开工作被责令纠正的情况。",
]
# Only in the old statistical-table reports (before 2019): a phrase common in old years, absent in new.
OLD_TEMPLATE_SENTENCE = "本年度依申请提供政府信息收取检索复制费用{n2}元。"
HEADINGS = [
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
]
YEARS = list(range(2008, 2026))


@dataclass(slots=True)
class SynthReport:
    agency: str
    year: int
    template: str
    title: str
    sections: list[tuple[str, str]]


def make_agencies(n: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < n:
        place = "".join(rng.choice(PLACE_CHARS) for _ in range(rng.choice((2, 2, 3))))
        names.add(place + rng.choice(AGENCY_KINDS))
    return sorted(names)


def make_reports(n: int, seed: int = 7) -> list[SynthReport]:
    rng = random.Random(seed)
    agencies = make_agencies(-(-n // len(YEARS)), rng)  # each agency has at most one report a year
    reports = []
    for i in range(n):
        agency = agencies[i % len(agencies)]
        year = YEARS[(i // len(agencies)) % len(YEARS)]
        template = "T2008" if year < 2019 else ("T2019" if year < 2021 else "T2021")
        nums = {f"n{k}": rng.randrange(0, 5000 if k == 1 else 300) for k in range(1, 15)}
        sections = []
        for h, heading in enumerate(HEADINGS):
            picked = rng.sample(SENTENCES, k=rng.randint(3, 6))
            if h == 3 and rng.random() < 0.3:  # ~30% of reports print no 行政复议 sentence
                picked = [s for s in picked if "复议" not in s]
            if h == 2 and template == "T2008":
                picked.append(OLD_TEMPLATE_SENTENCE)
            body = "".join(s.format(year=year, agency=agency, **nums) for s in picked)
            if rng.random() < 0.001:
                body += f"{RARE_PLACE}县的申请人提出的申请已依法答复。"
            sections.append((heading, body))
        title = f"{agency}{year}年政府信息公开工作年度报告"
        reports.append(SynthReport(agency, year, template, title, sections))
    return reports


# --- building the archive ---------------------------------------------------------------------


def build(db: Database, reports: list[SynthReport], batch: int = 2000) -> float:
    """Insert reports, versions and chunks (tokenised and indexed by storage.search_index.insert_chunks,
    as store_report does). On PostgreSQL the GIN index is dropped during the bulk load and built
    afterwards, the usual way to load a large table; the data in it is the same."""
    started = time.perf_counter()
    if db.dialect == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP INDEX ix_chunk_tsv"))
    now = utcnow()
    with db.session(write=True) as s:
        source_id = s.execute(
            insert(Source).values(key="bench", kind="site", created_at=now).returning(Source.id)
        ).scalar()
        run_id = s.execute(
            insert(CrawlRun).values(kind="crawl", started_at=now, status="finished").returning(CrawlRun.id)
        ).scalar()
        s.execute(insert(Blob).values(sha256="0" * 64, size=0, stored_size=0, created_at=now))
        fetch_id = s.execute(
            insert(Fetch)
            .values(
                run_id=run_id,
                url="https://bench/",
                final_url="https://bench/",
                method="GET",
                fetched_at=now,
                sha256="0" * 64,
            )
            .returning(Fetch.id)
        ).scalar()
        s.execute(
            insert(Agency), [{"name": a, "first_seen": now} for a in sorted({r.agency for r in reports})]
        )
    for start in range(0, len(reports), batch):
        part = reports[start : start + batch]
        with db.session(write=True) as s:
            report_ids = (
                s.execute(
                    insert(Report).returning(Report.id, sort_by_parameter_order=True),
                    [
                        {
                            "source_id": source_id,
                            "identity_key": f"{r.agency}|{r.year}",
                            "agency": r.agency,
                            "year": r.year,
                            "title": r.title,
                            "canonical_url": f"https://bench/{start + i}.html",
                            "status": "current",
                            "first_seen": now,
                            "last_seen": now,
                            "missing_runs": 0,
                        }
                        for i, r in enumerate(part)
                    ],
                )
                .scalars()
                .all()
            )
            version_ids = (
                s.execute(
                    insert(ReportVersion).returning(ReportVersion.id, sort_by_parameter_order=True),
                    [
                        {
                            "report_id": rid,
                            "number": 1,
                            "content_key": f"{rid:064d}",
                            "status": "current",
                            "is_correction": False,
                            "parsed_fetch_id": fetch_id,
                            "sha256": "0" * 64,
                            "parser_version": "bench",
                            "template": r.template,
                            "title": r.title,
                            "agency": r.agency,
                            "year": r.year,
                            "document": {},
                            "parsed_at": now,
                            "first_seen": now,
                            "last_seen": now,
                            "run_id": run_id,
                        }
                        for rid, r in zip(report_ids, part, strict=True)
                    ],
                )
                .scalars()
                .all()
            )
            rows = []
            for rid, vid, r in zip(report_ids, version_ids, part, strict=True):
                texts = [(None, r.title)] + [
                    (f"{k + 1}、{h}", f"{k + 1}、{h}\n{b}") for k, (h, b) in enumerate(r.sections)
                ]
                for ordinal, (heading, body) in enumerate(texts):
                    rows.append(
                        {
                            "version_id": vid,
                            "report_id": rid,
                            "ordinal": ordinal,
                            "heading": heading,
                            "page": None,
                            "text": body,
                            "agency": r.agency,
                            "year": r.year,
                            "template": r.template,
                        }
                    )
            insert_chunks(s, rows)
    if db.dialect == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SET maintenance_work_mem = '512MB'"))
            conn.execute(text("CREATE INDEX ix_chunk_tsv ON chunk USING gin (tsv)"))
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


# --- the baseline -----------------------------------------------------------------------------


def like_scan(db: Database, term: str, *, agency: str | None, year: int | None, limit: int) -> list[int]:
    """The same search without our index: LIKE '%term%' over the chunk text, with the same filters,
    order, passages per report and limit, and the same hits built (titles, snippets)."""
    terms = parse_query(term)
    conditions = [Chunk.text.contains(term, autoescape=True)]
    if agency is not None:
        names = select(Agency.name).where(Agency.name.contains(agency, autoescape=True))
        conditions.append(Chunk.agency.in_(names))
    if year is not None:
        conditions.append(Chunk.year == year)
    stmt = select(*(Chunk.__table__.c[c] for c in _COLUMNS)).where(*conditions)
    stmt = stmt.order_by(*search_order(db.dialect))
    with db.session() as s:
        found = _first_exact(s, stmt, terms, limit + 1, PER_REPORT)
        return [h.chunk_id for h in build_hits(s, found.rows[:limit], terms)]


def like_full_scan(db: Database, term: str, *, agency: str | None, year: int | None, limit: int) -> int:
    """What scanning the data costs: every chunk (with the same filters) tested with LIKE, counted."""
    conditions = [Chunk.text.contains(term, autoescape=True)]
    if agency is not None:
        names = select(Agency.name).where(Agency.name.contains(agency, autoescape=True))
        conditions.append(Chunk.agency.in_(names))
    if year is not None:
        conditions.append(Chunk.year == year)
    with db.session() as s:
        return s.scalar(select(text("count(*)")).select_from(Chunk).where(*conditions))


def ours(db: Database, term: str, *, agency: str | None, year: int | None, limit: int) -> list[int]:
    hits = search(db, term, agency=agency, year=year, limit=limit, per_report=PER_REPORT).hits
    return [h.chunk_id for h in hits]


# --- the run ----------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def timed(fn, *args, **kwargs) -> tuple[float, list[int]]:  # noqa: ANN001
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return (time.perf_counter() - t) * 1000, out


# Per kind: common terms (in most reports), rare ones (a few reports), and one common only in the
# old T2008 reports, so absent from the newest rows the search looks at first (its worst case).
PER_REPORT = 3  # passages per report, as `nianbao search` shows by default
QUERIES = {
    "2-char": ["复议", "维持", RARE_PLACE],
    "4-char": ["行政复议", "不予公开", "复制费用"],
    "phrase": [
        "本年新收政府信息公开申请",
        "申请4321件",
        f"{RARE_PLACE}县的申请人",
        "依申请提供政府信息收取检索复制费用",
    ],
}


def run_backend(
    name: str,
    db: Database,
    reports: list[SynthReport],
    repeat: int,
    scan_repeat: int,
    limit: int,
    *,
    build_it: bool = True,
) -> list[dict]:
    rng = random.Random(11)
    build_s = build(db, reports) if build_it else 0.0
    with db.session() as s:
        n_chunks = s.scalar(select(text("count(*)")).select_from(Chunk))
    print(
        f"\n== {name}: {len(reports):,} reports, {n_chunks:,} chunks, built and indexed in {build_s:.1f} s\n"
        "   ours = storage.search.search(); LIKE query = the same search (filters, order, limit, hits) "
        "with LIKE instead of our index;\n   LIKE full scan = count(*) of the chunks matching LIKE with the "
        "same filters (the cost of reading the data). Times in ms; ratios = baseline / ours.",
        flush=True,
    )
    agencies = sorted({r.agency for r in reports})
    results = []
    disagreements = []
    for kind, terms in QUERIES.items():
        for filt in ("none", "year", "agency"):
            times: dict[str, list[float]] = {"ours": [], "query": [], "full": []}
            per_term = []
            hits = []
            for term in terms:
                t: dict[str, list[float]] = {"ours": [], "query": [], "full": []}
                for i in range(max(repeat, scan_repeat)):
                    year = rng.choice(YEARS) if filt == "year" else None
                    agency = rng.choice(agencies) if filt == "agency" else None
                    kw = {"agency": agency, "year": year, "limit": limit}
                    got = want = None
                    if i < repeat:
                        ms, got = timed(ours, db, term, **kw)
                        if i > 0:  # the first run of each warms caches
                            t["ours"].append(ms)
                    if i < scan_repeat:
                        ms, want = timed(like_scan, db, term, **kw)
                        ms_full, _ = timed(like_full_scan, db, term, **kw)
                        if i > 0:
                            t["query"].append(ms)
                            t["full"].append(ms_full)
                    if got is not None and want is not None:
                        hits.append(len(want))
                        if got != want:
                            disagreements.append((name, term, kw))
                for k in times:
                    times[k] += t[k]
                per_term.append(
                    f"{term} {statistics.median(t['ours']):.1f}/{statistics.median(t['query']):.1f}"
                    f"/{statistics.median(t['full']):.1f}"
                )
            row = {"backend": name, "kind": kind, "filter": filt, "hits": statistics.mean(hits)}
            for k, v in times.items():
                row[f"{k}_p50"], row[f"{k}_p95"] = percentile(v, 0.5), percentile(v, 0.95)
            for k in ("query", "full"):
                row[f"{k}_ratio95"] = row[f"{k}_p95"] / row["ours_p95"]
            results.append(row)
            print(
                f"{name:<10} {kind:<6} {filt:<6} hits≈{row['hits']:4.1f} | ours p50 {row['ours_p50']:5.1f} "
                f"p95 {row['ours_p95']:5.1f} | LIKE query p50 {row['query_p50']:6.1f} p95 {row['query_p95']:6.1f} "
                f"({row['query_ratio95']:4.1f}x) | LIKE full scan p50 {row['full_p50']:7.1f} p95 "
                f"{row['full_p95']:7.1f} ({row['full_ratio95']:5.1f}x)",
                flush=True,
            )
            print(f"{'':<12}median per term, ours/query/full: " + "; ".join(per_term), flush=True)
    for label, rows in (("all", results), ("filtered", [r for r in results if r["filter"] != "none"])):
        print(
            f"{name} {label} queries: ours worst p95 {max(r['ours_p95'] for r in rows):.1f} ms; p95 ratio "
            f"LIKE query/ours {min(r['query_ratio95'] for r in rows):.1f}x..{max(r['query_ratio95'] for r in rows):.1f}x, "
            f"LIKE full scan/ours {min(r['full_ratio95'] for r in rows):.1f}x..{max(r['full_ratio95'] for r in rows):.1f}x"
        )
    print(
        f"{name}: same hits as the LIKE query in every run: {'yes' if not disagreements else 'NO ' + repr(disagreements[:3])}"
    )
    return results


def postgres_database(server_url: str) -> tuple[str, callable]:  # type: ignore[valid-type]
    admin = create_engine(normalize_database_url(server_url), isolation_level="AUTOCOMMIT")
    name = f"nianbao_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.connect() as conn:
        conn.execute(
            text(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
        )
    url = admin.url.set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=20_000)
    ap.add_argument("--backends", default="postgresql,sqlite")
    ap.add_argument("--repeat", type=int, default=21, help="timed runs of our search per term and filter")
    ap.add_argument(
        "--scan-repeat", type=int, default=6, help="timed runs of the LIKE scan per term and filter"
    )
    ap.add_argument("--limit", type=int, default=20)
    ap.add_argument(
        "--postgres",
        default=os.environ.get("NIANBAO_TEST_DATABASE_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        help="server to create the benchmark database on (it is dropped at the end)",
    )
    ap.add_argument("--keep", action="store_true", help="keep the built databases and print where they are")
    ap.add_argument(
        "--reuse", metavar="URL", help="time searches on an archive --keep left (no build, one backend)"
    )
    args = ap.parse_args()
    t = time.perf_counter()
    reports = make_reports(args.reports)
    print(
        f"generated {len(reports):,} synthetic reports ({sum(len(b) for r in reports for _, b in r.sections):,} "
        f"characters of section text) in {time.perf_counter() - t:.1f} s"
    )
    if args.reuse:
        db = Database(args.reuse)
        try:
            run_backend(db.dialect, db, reports, args.repeat, args.scan_repeat, args.limit, build_it=False)
        finally:
            db.dispose()
        return
    for backend in args.backends.split(","):
        if backend == "postgresql":
            url, drop = postgres_database(args.postgres)
        else:
            tmp = tempfile.mkdtemp(prefix="nianbao-bench-")
            url, drop = f"sqlite:///{tmp}/bench.db", functools.partial(shutil.rmtree, tmp)
        db = Database(url)
        try:
            migrations.upgrade(db)
            run_backend(backend, db, reports, args.repeat, args.scan_repeat, args.limit)
        finally:
            db.dispose()
            if args.keep:
                print(f"kept: --reuse {url}")
            else:
                drop()


if __name__ == "__main__":
    main()
