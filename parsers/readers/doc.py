"""DOC and WPS (Word 97 OLE binaries): LibreOffice converts them to DOCX, else antiword or catdoc.

LibreOffice keeps the table structure (merged cells included), so its DOCX goes through `read_docx`.
antiword and catdoc only give text, tables as '|'- or tab-separated rows; the Layout says so in a
warning. Temp files are the one I/O the parser does here: a private directory, always removed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from parsers.errors import ParseError
from parsers.layout import Block, Cell, Layout, Paragraph, Table
from parsers.limits import Deadline, Limits
from parsers.readers.containers import OLE_MAGIC
from parsers.readers.docx import read_docx
from parsers.readers.failures import reader
from parsers.readers.textjoin import collapse_spaces

MEDIA_TYPE = "application/msword"
INSTALL_HINT = (
    "reading .doc/.wps needs LibreOffice, antiword or catdoc; install one "
    "(Debian: apt-get install libreoffice-writer-nogui, or antiword, or catdoc)"
)
_ENV = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
_MEANINGFUL = re.compile(r"[\w\u3400-\u9fff]")


@reader("DOC/WPS file")
def read_doc(data: bytes, limits: Limits, deadline: Deadline) -> Layout:
    if not data.startswith(OLE_MAGIC):
        # LibreOffice would happily import any bytes as plain text; only Word binaries come here.
        raise ParseError("not a Word 97 document: no OLE2 header", kind="unreadable")
    tools = {name: shutil.which(name) for name in ("soffice", "antiword", "catdoc")}
    if not any(tools.values()):
        raise ParseError(INSTALL_HINT, kind="unsupported")
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as tmp:
        source = Path(tmp) / "document.doc"
        source.write_bytes(data)
        if tools["soffice"]:
            try:
                converted = _libreoffice(tools["soffice"], source, Path(tmp), deadline)
                layout = read_docx(converted, limits, deadline)
            except _ToolFailed as exc:
                problems.append(str(exc))
            except ParseError as exc:
                if exc.kind != "unreadable":
                    raise
                problems.append(f"LibreOffice's DOCX could not be read: {exc.reason}")
            else:
                layout.media_type = MEDIA_TYPE
                layout.warnings.insert(0, "read through LibreOffice's conversion to DOCX")
                return layout
        candidates: list[tuple[str, list[Block]]] = []
        for name, run in (("antiword", _antiword), ("catdoc", _catdoc)):
            if not tools[name]:
                continue
            try:
                candidates.append((name, run(tools[name], source, deadline)))
            except _ToolFailed as exc:
                problems.append(str(exc))
    if not candidates:
        raise ParseError("the .doc/.wps could not be read: " + "; ".join(problems), kind="unreadable")
    # Each tool loses different things on different files (antiword drops rows of complex tables,
    # catdoc mis-decodes some runs): keep the one that recovered the most text.
    name, blocks = max(candidates, key=lambda c: _meaningful(c[1]))
    if _meaningful(blocks) == 0:
        raise ParseError(f"the .doc/.wps has no readable text ({name} found none)", kind="unreadable")
    n_cells = sum(len(b.cells) for b in blocks if isinstance(b, Table))
    if n_cells > limits.max_cells:
        raise ParseError(f"more than {limits.max_cells} table cells", kind="too_large")
    warnings = problems + [
        f"read with {name} (LibreOffice unavailable or failed): merged table cells are not recognised, and a "
        "cell's wrapped text may come as an extra row"
    ]
    return Layout(blocks, MEDIA_TYPE, None, {}, warnings)


class _ToolFailed(Exception):
    pass


def _run(argv: list[str], deadline: Deadline, what: str, cwd: Path | None = None) -> bytes:
    remaining = deadline.remaining()
    if remaining <= 0:
        deadline.check(what)
    # A process group of its own, so that a timeout kills LibreOffice's soffice.bin child too.
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=_ENV, cwd=cwd,
        start_new_session=True,
    )  # fmt: skip
    try:
        out, err = proc.communicate(timeout=remaining)
    except subprocess.TimeoutExpired as exc:
        _kill(proc)
        raise ParseError(
            f"time limit of {deadline.seconds:g}s exceeded while {what}", kind="timeout"
        ) from exc
    except BaseException:
        _kill(proc)
        raise
    if proc.returncode != 0:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        message = lines[-1] if lines else "no message"
        for arg in argv[1:]:  # the private temp paths mean nothing to the reader of the message
            if arg.startswith("/"):
                message = message.replace(arg, "the file")
        raise _ToolFailed(f"{what} failed (exit {proc.returncode}): {message}")
    return out


def _kill(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _libreoffice(soffice: str, source: Path, tmp: Path, deadline: Deadline) -> bytes:
    out_dir = tmp / "out"
    out_dir.mkdir()
    argv = [
        soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
        f"-env:UserInstallation=file://{tmp / 'profile'}",
        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(source),
    ]  # fmt: skip
    _run(argv, deadline, "converting with LibreOffice", cwd=tmp)
    produced = out_dir / f"{source.stem}.docx"
    if not produced.exists():
        raise _ToolFailed("LibreOffice did not recognise the file (no DOCX produced)")
    return produced.read_bytes()


def _antiword(antiword: str, source: Path, deadline: Deadline) -> list[Block]:
    text = _run([antiword, "-w", "0", str(source)], deadline, "reading with antiword").decode(
        "utf-8", "replace"
    )
    return _blocks(
        text.splitlines(), lambda line: line.startswith("|"), lambda line: line.strip()[1:-1].split("|")
    )


def _catdoc(catdoc: str, source: Path, deadline: Deadline) -> list[Block]:
    out = _run([catdoc, "-w", "-d", "utf-8", str(source)], deadline, "reading with catdoc")
    text = out.decode("utf-8", "replace").replace("\x0c", "\n")
    return _blocks(text.splitlines(), lambda line: "\t" in line, lambda line: line.split("\t"))


def _blocks(lines: list[str], is_row, split_row) -> list[Block]:
    """Text lines to paragraphs, and runs of table-row lines to tables (one cell per field)."""
    blocks: list[Block] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            cells = [
                Cell(collapse_spaces(text), r, c) for r, row in enumerate(rows) for c, text in enumerate(row)
            ]
            blocks.append(Table(cells))
            rows.clear()

    for line in lines:
        if is_row(line):
            fields = split_row(line)
            if any(f.strip() for f in fields):
                rows.append(fields)
            continue
        text = collapse_spaces(line)
        if not text:
            continue  # blank lines separate paragraphs and sometimes rows; they break no table
        flush()
        blocks.append(Paragraph(text))
    flush()
    return blocks


def _meaningful(blocks: list[Block]) -> int:
    total = 0
    for b in blocks:
        if isinstance(b, Paragraph):
            total += len(_MEANINGFUL.findall(b.text))
        else:
            total += sum(len(_MEANINGFUL.findall(c.text)) for c in b.cells)
    return total
