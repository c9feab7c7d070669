"""Parse benchmark: full parsing against bare text extraction, in the same run, on the same files.

    .venv/bin/python bench/parse_bench.py                 # 200 reports per format, 500-page PDF
    .venv/bin/python bench/parse_bench.py --n 50 --pages 100

A corpus of synthetic reports (mirror.reports, with a realistic mix of variations) is generated into a
temporary directory, per format. For each format the bytes are loaded into memory, then timed:

- baseline: raw text only, with the library the issue names (pdfplumber `extract_text`, bs4
  `get_text`, python-docx paragraphs);
- same-library baseline: raw text only, with the library the parser's reader uses (pypdfium2 text
  pages, lxml `text_content`, the DOCX's w:t elements through zipfile + lxml): what reading costs
  before any interpretation;
- full: `parsers.parse` (reader, template interpretation, checks), the document of docs/SCHEMA.md.

It prints documents per second and the cost ratio full/baseline (goal: at most 2x for HTML and DOCX,
1.5x for PDF). Then, each in a fresh subprocess, the peak memory of parsing a 500-page PDF (peak RSS
as the process's own high-water mark, Python-heap peak from tracemalloc; goal: at most 300 MB) and of
the bare extraction.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEDIA = {
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
GOAL_RATIO = {"html": 2.0, "docx": 2.0, "pdf": 1.5}
GOAL_PEAK_MB = 300
AGENCIES = [
    "北京市科学技术委员会",
    "北京市丰台区科学技术和信息化局",
    "中关村科技园区管理委员会",
    "北京市密云区人民政府办公室",
    "金凤区科技局",
    "北京市科学技术委员会、中关村科技园区管理委员会",
]
KNOBS = (
    "label_typos",
    "split_labels",
    "page_break_in_table",
    "blank_zero_cells",
    "annotations",
    "yuan_amounts",
    "other_as_one_row",
    "legal_person_column",
    "subtotal_rows",
    "alt_numbering",
)


# ---------------------------------------------------------------- corpus


def _make(args: tuple[str, int, str]) -> str:
    fmt, i, out_dir = args
    from mirror.reports import Variation, generate_report, render_docx, render_html, render_pdf

    rng = random.Random(f"bench:{i}")
    agency = rng.choice(AGENCIES)
    year = rng.randint(2014, 2025)
    variant = "ningxia" if agency.startswith("金凤") and year <= 2018 else None
    report = generate_report(i, agency=agency, year=year, variant=variant)
    # About a third of the corpus carries one or two real-world quirks, as the mirror does.
    flags = {k: False for k in KNOBS}
    for k in rng.sample(KNOBS, rng.choice([0, 0, 1, 2])):
        flags[k] = True
    var = Variation(**flags)
    path = Path(out_dir) / f"{i:04d}.{fmt}"
    if fmt == "html":
        path.write_text(render_html(report, var), encoding="utf-8")
    elif fmt == "docx":
        path.write_bytes(render_docx(report, var))
    else:
        path.write_bytes(render_pdf(report, var))
    return str(path)


def make_corpus(fmt: str, n: int, out_dir: Path, jobs: int) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return [Path(p) for p in pool.map(_make, [(fmt, i, str(out_dir)) for i in range(n)], chunksize=4)]


def make_long_pdf(pages: int, path: Path) -> None:
    from mirror.reports import Variation, generate_report, render_pdf

    report = generate_report(500, agency="北京市科学技术委员会", year=2023)
    path.write_bytes(render_pdf(report, Variation(extra_pages=pages)))


# ---------------------------------------------------------------- extractors


def baseline_pdfplumber(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def baseline_bs4(data: bytes) -> int:
    from bs4 import BeautifulSoup

    return len(BeautifulSoup(data, "lxml").get_text())


def baseline_python_docx(data: bytes) -> int:
    import docx

    return sum(len(p.text) for p in docx.Document(io.BytesIO(data)).paragraphs)


def same_lib_pdfium(data: bytes) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        return sum(len(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf)))
    finally:
        pdf.close()


def same_lib_lxml(data: bytes) -> int:
    import lxml.html

    return len(lxml.html.document_fromstring(data).text_content())


def same_lib_docx_xml(data: bytes) -> int:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
    return sum(len(t.text or "") for t in root.iter(ns))


def full_parse(fmt: str, max_seconds: float | None = None) -> Callable[[bytes], int]:
    from parsers import Limits, parse

    limits = Limits(max_seconds=max_seconds) if max_seconds else None

    def run(data: bytes) -> int:
        return len(parse(data, MEDIA[fmt], f"bench.{fmt}", limits=limits).facts)

    return run


BASELINES: dict[str, tuple[tuple[str, Callable[[bytes], int]], tuple[str, Callable[[bytes], int]]]] = {
    "html": (("bs4 get_text", baseline_bs4), ("lxml text_content", same_lib_lxml)),
    "docx": (("python-docx paragraphs", baseline_python_docx), ("zipfile+lxml w:t", same_lib_docx_xml)),
    "pdf": (("pdfplumber extract_text", baseline_pdfplumber), ("pypdfium2 get_text_range", same_lib_pdfium)),
}


def timed(fn: Callable[[bytes], int], docs: list[bytes]) -> float:
    for data in docs[:3]:  # warm imports and caches outside the timing
        fn(data)
    gc.collect()
    start = time.perf_counter()
    for data in docs:
        fn(data)
    return time.perf_counter() - start


# ---------------------------------------------------------------- peak memory (child process)


def rss_high_water_mb() -> float:
    """This process's peak resident memory. Linux's getrusage ru_maxrss carries the parent's peak over
    fork+exec, so where /proc is there, VmHWM (this process's own high-water mark) is read instead."""
    import resource

    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_peak(kind: str, path: str) -> None:
    """Run in a fresh interpreter: parse (or bare-extract) one file, print peaks as JSON."""
    import tracemalloc

    data = Path(path).read_bytes()
    fn = {"parse": full_parse("pdf"), "pdfium": same_lib_pdfium, "pdfplumber": baseline_pdfplumber}[kind]
    # Import what the run needs first, so "before" is the interpreter with its libraries loaded.
    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401

    import parsers.api  # noqa: F401
    import parsers.readers.pdf  # noqa: F401

    before = rss_high_water_mb()
    start = time.perf_counter()
    result = fn(data)
    seconds = time.perf_counter() - start
    peak = rss_high_water_mb()
    # tracemalloc slows Python several times over, so the Python-heap peak comes from a second run,
    # with the parse deadline lifted (the first run kept the default limits).
    if kind == "parse":
        fn = full_parse("pdf", max_seconds=3600)
    tracemalloc.start()
    fn(data)
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "rss_peak_mb": peak,
                "rss_before_mb": before,
                "heap_peak_mb": heap_peak / 2**20,
                "seconds": seconds,
                "result": result,
            }
        )
    )


def measure_peak(kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child-peak", kind, str(path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(
        description="full parse vs bare text extraction, docs/s and ratio; peak memory"
    )
    ap.add_argument("--n", type=int, default=200, help="reports per format (default 200)")
    ap.add_argument("--formats", default="html,docx,pdf")
    ap.add_argument(
        "--pages", type=int, default=500, help="pages of the long PDF for the memory run (0: skip)"
    )
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="processes generating the corpus")
    ap.add_argument(
        "--plumber-peak", action="store_true", help="also measure pdfplumber on the long PDF (slow)"
    )
    ap.add_argument("--child-peak", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_peak:
        child_peak(*args.child_peak)
        return

    with tempfile.TemporaryDirectory(prefix="parse-bench-") as tmp:
        tmpdir = Path(tmp)
        print(f"corpus: {args.n} synthetic reports per format, generated into {tmpdir}")
        rows = []
        for fmt in args.formats.split(","):
            t0 = time.perf_counter()
            paths = make_corpus(fmt, args.n, tmpdir / fmt, args.jobs)
            docs = [p.read_bytes() for p in paths]
            size = sum(len(d) for d in docs)
            print(
                f"  {fmt}: {len(docs)} files, {size / 2**20:.1f} MB, generated in {time.perf_counter() - t0:.0f}s"
            )
            (base_name, base), (same_name, same) = BASELINES[fmt]
            t_base = timed(base, docs)
            t_same = timed(same, docs)
            t_full = timed(full_parse(fmt), docs)
            rows.append((fmt, base_name, t_base, same_name, t_same, t_full, len(docs)))

        print()
        print(
            f"{'format':6} {'baseline':26} {'docs/s':>8} {'full parse docs/s':>18} {'ratio':>6} {'goal':>6}"
        )
        for fmt, base_name, t_base, same_name, t_same, t_full, n in rows:
            ratio = t_full / t_base
            mark = "ok" if ratio <= GOAL_RATIO[fmt] else "OVER"
            print(
                f"{fmt:6} {base_name:26} {n / t_base:8.1f} {n / t_full:18.1f} {ratio:5.2f}x {GOAL_RATIO[fmt]:4.1f}x {mark}"
            )
            print(
                f"{'':6} {same_name:26} {n / t_same:8.1f} {n / t_full:18.1f} {t_full / t_same:5.2f}x  (same library as the reader)"
            )

        if args.pages:
            long_pdf = tmpdir / "long.pdf"
            t0 = time.perf_counter()
            make_long_pdf(args.pages, long_pdf)
            import pypdfium2

            n_pages = len(pypdfium2.PdfDocument(long_pdf.read_bytes()))
            print(
                f"\nlong PDF: {n_pages} pages, {long_pdf.stat().st_size / 2**20:.1f} MB, made in {time.perf_counter() - t0:.0f}s"
            )
            kinds = ["parse", "pdfium"] + (["pdfplumber"] if args.plumber_peak else [])
            for kind in kinds:
                m = measure_peak(kind, long_pdf)
                label = {
                    "parse": "full parse",
                    "pdfium": "pypdfium2 text only",
                    "pdfplumber": "pdfplumber extract_text",
                }[kind]
                line = (
                    f"  {label:24} peak RSS {m['rss_peak_mb']:6.0f} MB (interpreter + imports before: {m['rss_before_mb']:.0f} MB), "
                    f"Python heap peak {m['heap_peak_mb']:6.1f} MB, {m['seconds']:.1f}s"
                )
                if kind == "parse":
                    line += (
                        f"  goal <= {GOAL_PEAK_MB} MB: {'ok' if m['rss_peak_mb'] <= GOAL_PEAK_MB else 'OVER'}"
                    )
                print(line)


if __name__ == "__main__":
    main()
