"""Run a corpus of synthetic reports through every renderer and the parser, and list what came back wrong.

    .venv/bin/python tests/parsers/corpus.py --n 200                      # all formats, 200 reports each
    .venv/bin/python tests/parsers/corpus.py --n 120 --formats lopdf,doc   # LibreOffice renderings only
    .venv/bin/python tests/parsers/corpus.py --only 37 --formats pdf -v    # one report, every problem

Not a test (it takes minutes): the tool that finds the failures the property tests are too small to
meet. Reports come from `mirror.reports.generate_report` with every `Variation` knob drawn at random
(each on with probability --p); formats are the generator's renderers (html, docx, pdf via reportlab,
text, xlsx) plus `lopdf` (the DOCX converted to PDF by LibreOffice, as Word/WPS export it) and `doc`
(the DOCX saved as Word 97 by LibreOffice). Each parse is judged by `fact_compare.report_problems`, the
same judgement as the property tests. The summary counts, per format, the reports read fully right,
the wrong facts (a value other than the one printed, or a value under a row or column that printed
none: the parser's promise is that these never happen) and the reports with any, and the missing
facts (printed but left out, with a warning). Exit status 1 when any rendering had a problem.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]

from fact_compare import KNOBS, MEDIA, STAT_TABLES, Tally, fact_tally, report_problems  # noqa: E402

from mirror.reports import (  # noqa: E402
    SynthReport,
    Variation,
    generate_report,
    render_docx,
    render_html,
    render_pdf,
    render_text,
    render_xlsx,
)

SHAPES = [
    ("T2021", None, (2021, 2025)),
    ("T2021", None, (2021, 2025)),
    ("T2019", "beijing", (2019, 2020)),
    ("T2019", "national", (2019, 2020)),
    ("T2008", "beijing", (2008, 2018)),
    ("T2008", "ningxia", (2008, 2018)),
    ("T2008", "fujian", (2008, 2018)),
]
AGENCIES = {
    "beijing": ["北京市科学技术委员会", "北京市丰台区科学技术和信息化局", "中关村科技园区管理委员会"],
    "ningxia": ["金凤区科技局", "银川市金凤区人民政府", "兴庆区民政局"],
    "fujian": ["平潭综合实验区管委会办公室", "福州市长乐区人民政府"],
    "national": ["上海市杨浦区科学技术委员会", "江苏省淮安市淮阴区人民政府", "宁夏回族自治区科学技术厅"],
    None: [
        "北京市科学技术委员会、中关村科技园区管理委员会",
        "上海市人民政府办公厅",
        "淮安市洪泽区财政局",
        "福建省平潭综合实验区管理委员会",
        "浙江省杭州市西湖区人民政府",
    ],
}
ALL_FORMATS = (
    "html",
    "docx",
    "pdf",
    "text",
    "xlsx",
    "lopdf",
    "doc",
    "drawn",
    "hrules",
    "hlong",
    "rowtables",
    "nolines",
    "oddrules",
    "odd12",
    "vlines",
    "frame",
    "threeline",
)
# PDFs drawn as WPS/Word exporters draw tables (real_reports.drawn_pdf): every cell ruled, row rules
# only (no column lines; cell by cell, or long lines as LibreOffice draws them), each row its own table,
# no lines, some cell borders missing (one in forty, one in twelve), column lines only, the outer
# frame only, a 三线表 (top, under the header, bottom).
DRAWN = {
    "drawn": ("grid", 0.0),
    "hrules": ("horizontal", 0.0),
    "hlong": ("long", 0.0),
    "nolines": ("none", 0.0),
    "oddrules": ("odd", 0.0),
    "odd12": ("odd12", 0.0),
    "vlines": ("vertical", 0.0),
    "frame": ("frame", 0.0),
    "threeline": ("three", 0.0),
    "rowtables": ("grid", 3.0),
}


PLANTABLE = {
    "T2008": ("legacy_stats.sums", "text_vs_table"),
    "T2019": ("applications.balance", "applications.results_sum", "applications.row_total",
              "applications.group_subtotal", "review_litigation.row_total", "text_vs_table"),
}  # fmt: skip
PLANTABLE["T2021"] = PLANTABLE["T2019"]


def case(i: int, p: float, plant: float = 0.0) -> tuple[SynthReport, Variation]:
    """Report number i of the corpus and the variation it is printed with (deterministic). With
    `plant` > 0, that share of the reports print a table inconsistent with itself (a total that is not
    the sum of its parts, as real reports sometimes do): the parser must read such a table as printed."""
    rng = random.Random(f"corpus:{i}")
    template, variant, years = rng.choice(SHAPES)
    agency, year = rng.choice(AGENCIES[variant]), rng.randint(*years)
    # A separate draw, so that the reports without a planted error are those of a corpus without any.
    planting = random.Random(f"corpus-plant:{i}")
    rules = ("text_vs_table",) if variant == "fujian" else PLANTABLE[template]  # no sums printed there
    plant_error = planting.choice(rules) if planting.random() < plant else None
    report = generate_report(
        i, agency=agency, year=year, template=template, variant=variant, plant_error=plant_error
    )
    flags = {k: rng.random() < p for k in KNOBS}
    var = Variation(
        **flags,
        html_style=rng.choice(["trs", "hanweb"]),
        text_style=rng.choice(["cells", "rows"]),
        pdf_font=rng.choice(["embedded", "cid"]),
    )
    return report, var


def render(report: SynthReport, var: Variation, fmt: str) -> bytes:
    if fmt == "html":
        return render_html(report, var).encode("utf-8")
    if fmt in ("docx", "lopdf", "doc"):
        return render_docx(report, var)
    if fmt == "pdf":
        return render_pdf(report, var)
    if fmt == "xlsx":
        return render_xlsx(report, var)
    if fmt in DRAWN:
        from real_reports import drawn_pdf

        rules, gap = DRAWN[fmt]
        return drawn_pdf(report.printed(var), rules, gap)
    return render_text(report, var).encode("utf-8")


def soffice_batch(paths: list[Path], target: str, out_dir: Path) -> None:
    """Convert many files in one LibreOffice run (starting it costs seconds; converting is quick)."""
    with tempfile.TemporaryDirectory() as profile:
        for start in range(0, len(paths), 40):
            subprocess.run(
                ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                 "--convert-to", target, "--outdir", str(out_dir), *map(str, paths[start : start + 40])],
                check=True, capture_output=True, timeout=1800,
            )  # fmt: skip


def make(i: int, fmt: str, p: float, plant: float, out_dir: Path) -> Path:
    report, var = case(i, p, plant)
    ext = {"lopdf": "docx", "doc": "docx", "text": "txt", **dict.fromkeys(DRAWN, "pdf")}.get(fmt, fmt)
    path = out_dir / fmt / f"{i:05d}.{ext}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(report, var, fmt))
    return path


def judge(args: tuple[int, str, float, float, str]) -> tuple[int, str, list[str], Tally, float]:
    i, fmt, p, plant, file = args
    from parsers import ParseError, parse

    report, var = case(i, p, plant)
    data = Path(file).read_bytes()
    media = {"lopdf": MEDIA["pdf"], "doc": "application/msword", **dict.fromkeys(DRAWN, MEDIA["pdf"])}.get(
        fmt, MEDIA.get(fmt)
    )
    expected = report.expected_facts(var)
    started = time.perf_counter()
    try:
        doc = parse(data, media, file)
    except ParseError as exc:
        elapsed = time.perf_counter() - started
        return i, fmt, [f"ParseError {exc.kind}: {exc.reason}"], Tally(missing=len(expected)), elapsed
    except Exception as exc:  # the parser's promise is a ParseError or a document: anything else is a bug
        elapsed = time.perf_counter() - started
        return i, fmt, [f"CRASH {type(exc).__name__}: {exc}"], Tally(missing=len(expected)), elapsed
    elapsed = time.perf_counter() - started
    base = {"lopdf": "docx", "doc": "docx", **dict.fromkeys(DRAWN, "pdf")}.get(fmt, fmt)
    crashes = [f"CRASH {w}" for w in doc.warnings if w.startswith("internal error")]
    tables = ("legacy_stats",) if report.template == "T2008" else STAT_TABLES[:3]
    tally = fact_tally(doc, expected, tables=tables)
    return i, fmt, crashes + report_problems(report, var, base, doc), tally, elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="reports per format")
    ap.add_argument("--start", type=int, default=0, help="number of the first report")
    ap.add_argument("--only", type=int, nargs="*", help="just these report numbers")
    ap.add_argument("--formats", default=",".join(ALL_FORMATS))
    ap.add_argument("--p", type=float, default=0.4, help="chance of each Variation knob being on")
    ap.add_argument("--plant", type=float, default=0.25, help="share of reports with a planted inconsistency")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, help="keep the renderings here (default: a temporary directory)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every problem, not the first three")
    args = ap.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    numbers = args.only if args.only else list(range(args.start, args.start + args.n))
    out = args.out or Path(tempfile.mkdtemp(prefix="nianbao-corpus-"))
    jobs: list[tuple[int, str, float, float, str]] = []
    for fmt in formats:
        paths = [make(i, fmt, args.p, args.plant, out) for i in numbers]
        if fmt in ("lopdf", "doc"):
            if not shutil.which("soffice"):
                sys.exit("lopdf/doc need LibreOffice (soffice)")
            target = "pdf" if fmt == "lopdf" else "doc"
            soffice_batch(paths, target, out / fmt)
            paths = [q.with_suffix(f".{target}") for q in paths]
        jobs += [(i, fmt, args.p, args.plant, str(q)) for i, q in zip(numbers, paths, strict=True)]
    failed: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    tallies = {fmt: Tally() for fmt in formats}
    with_wrong: Counter[str] = Counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for i, fmt, problems, tally, elapsed in pool.map(judge, jobs, chunksize=2):
            seconds[fmt] += elapsed
            tallies[fmt].add(tally)
            with_wrong[fmt] += tally.wrong > 0
            if problems:
                failed[fmt] += 1
                report, var = case(i, args.p, args.plant)
                on = [k for k in KNOBS if getattr(var, k)]
                print(f"--- {fmt} #{i} {report!r} knobs={on} wrong={tally.wrong} missing={tally.missing}")
                for line in problems if args.verbose else problems[:3]:
                    print(f"    {line}")
                if not args.verbose and len(problems) > 3:
                    print(f"    … {len(problems) - 3} more")
    print(f"renderings in {out}")
    print(
        f"{'format':9} {'right':>9} {'wrong facts':>12} {'(reports)':>9} {'missing facts':>14} {'facts right':>12}  parsing"
    )
    for fmt in formats:
        t = tallies[fmt]
        print(
            f"{fmt:9} {len(numbers) - failed[fmt]:5}/{len(numbers):<3} {t.wrong:12} {with_wrong[fmt]:9} "
            f"{t.missing:14} {t.right:12}  {seconds[fmt]:6.1f}s"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
