"""DOCX reader: the document part's XML walked directly (w:p, w:tbl/w:tr/w:tc, w:gridSpan, w:vMerge).

python-docx's `row.cells` is quadratic and repeats merged cells; walking the rows with w:gridSpan and
w:vMerge gives each merged cell once, with its span, in linear time. We read the package with
zipfile + lxml (see `ooxml`), which also spares us python-docx's parse of the whole style sheet.
"""

from __future__ import annotations

import io
import zipfile

from parsers.errors import ParseError
from parsers.layout import Block, Cell, Layout, Paragraph, Table
from parsers.limits import Deadline, Limits
from parsers.readers.containers import ZIP_MEMBER_ERRORS, guard_zip
from parsers.readers.docx_numbering import Numbering
from parsers.readers.failures import reader
from parsers.readers.ooxml import StyleSheet, WordPackage, parse, w
from parsers.readers.textjoin import collapse_spaces, join_lines

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

W_BODY, W_P, W_TBL, W_TR, W_TC, W_R = w("body"), w("p"), w("tbl"), w("tr"), w("tc"), w("r")
W_T, W_TAB, W_PTAB, W_BR, W_CR = w("t"), w("tab"), w("ptab"), w("br"), w("cr")
W_NB_HYPHEN, W_TXBX, W_VAL, W_TYPE = w("noBreakHyphen"), w("txbxContent"), w("val"), w("type")
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML, W_ALT_CHUNK = w("sdt"), w("sdtContent"), w("customXml"), w("altChunk")
W_PPR, W_PSTYLE, W_NUMPR, W_RPR, W_B = w("pPr"), w("pStyle"), w("numPr"), w("rPr"), w("b")
TC_PR, GRID_SPAN, V_MERGE, H_MERGE = w("tcPr"), w("gridSpan"), w("vMerge"), w("hMerge")
TR_PR, GRID_BEFORE = w("trPr"), w("gridBefore")
TBL_GRID_COL, W_W = w("tblGrid") + "/" + w("gridCol"), w("w")
MC_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
MC_CHOICE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Choice"
_WRAPPERS = (W_SDT, W_SDT_CONTENT, W_CUSTOM_XML)
# Tags whose subtree is not printed text: deletions, field codes, properties.
_SKIP = frozenset(
    w(t) for t in ("del", "moveFrom", "instrText", "delText", "pPr", "rPr", "sdtPr", "sdtEndPr")
)
W_VANISH, W_DEL, W_MOVE_FROM = w("vanish"), w("del"), w("moveFrom")
# The fast text path looks at these; meeting one of the second group sends it down the careful path.
_CAREFUL_TAGS = (W_TXBX, MC_ALTERNATE, W_DEL, W_MOVE_FROM, W_VANISH)
_TEXT_TAGS = (W_T, W_TAB, W_PTAB, W_BR, W_CR, W_NB_HYPHEN, *_CAREFUL_TAGS)
_FALSE = frozenset(("0", "false", "off", "none"))
W_RFONTS, W_EAST_ASIA, W_ASCII = w("rFonts"), w("eastAsia"), w("ascii")
HEADING_FACES = ("黑体", "SimHei", "楷体", "KaiTi", "小标宋", "方正大标宋", "华文中宋")


# A report's document part is a few megabytes of XML (pictures are parts of their own); lxml needs
# several times a part's size in memory, so a far larger part is refused rather than parsed.
MAX_DOCUMENT_XML = 64 * 1024 * 1024


@reader("DOCX")
def read_docx(data: bytes, limits: Limits, deadline: Deadline) -> Layout:
    members = guard_zip(data, limits, "DOCX")
    biggest = max((size for name, size in members.items() if name.endswith(".xml")), default=0)
    if biggest > MAX_DOCUMENT_XML:
        raise ParseError(
            f"the DOCX holds an XML part of {biggest} bytes; reports have far smaller ones", kind="too_large"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_MEMBER_ERRORS as exc:
        raise ParseError(f"not a valid DOCX: {exc}", kind="unreadable") from exc
    with archive:
        package = WordPackage(archive)
        root = parse(package.read(package.main) or b"", "the DOCX document part")
        styles = StyleSheet(package.read(package.styles_name))
        numbering_raw = package.read(package.numbering_name)
        numbering_root = parse(numbering_raw, "the DOCX numbering part") if numbering_raw else None
        props = package.core_properties()
    deadline.check("opening DOCX")
    body = root.find(W_BODY)
    if body is None:
        raise ParseError("not a DOCX: the document part has no w:body", kind="unreadable")
    walker = _Walker(styles, Numbering(numbering_root, lambda sid: styles.info(sid)[2]), limits, deadline)
    walker.body(body)
    title = collapse_spaces(props.pop("title", "")) or None
    return Layout(walker.blocks, MEDIA_TYPE, title, props, walker.warnings)


def _props(el, tag: str):
    """The properties child (w:pPr, w:rPr, w:tcPr, w:trPr), which the schema puts first; None if absent.

    Looking at the first child is ten times cheaper than lxml's find() in these hot loops."""
    for child in el:
        return child if child.tag == tag else None
    return None


def _paragraph_props(p) -> tuple[str | None, object]:
    """(style id, w:numPr element or None) of a paragraph."""
    ppr = _props(p, W_PPR)
    sid, num_pr = None, None
    if ppr is not None:
        for child in ppr:
            if child.tag == W_PSTYLE:
                sid = child.get(W_VAL)
            elif child.tag == W_NUMPR:
                num_pr = child
    return sid, num_pr


def _run_bold(run, inherited: bool) -> bool:
    rpr = _props(run, W_RPR)
    if rpr is not None:
        for child in rpr:
            if child.tag == W_B:
                return child.get(W_VAL, "1").lower() not in _FALSE
    return inherited


class _Walker:
    def __init__(self, styles: StyleSheet, numbering: Numbering, limits: Limits, deadline: Deadline):
        self.styles = styles
        self.numbering = numbering
        self.limits = limits
        self.deadline = deadline
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.n_cells = 0
        self.n_elements = 0

    def _tick(self) -> None:
        self.n_elements += 1
        if self.n_elements % 256 == 0:
            self.deadline.check("reading DOCX")

    def body(self, element) -> None:
        for child in element.iterchildren():
            self._tick()
            tag = child.tag
            if tag == W_P:
                self.paragraph(child)
            elif tag == W_TBL:
                self.blocks.append(self.table(child))
            elif tag in _WRAPPERS:
                self.body(child)
            elif tag == W_ALT_CHUNK:
                self.warnings.append("the DOCX embeds another document (altChunk); its content was not read")

    # -------------------------------------------------------------------------------- paragraphs

    def paragraph(self, p) -> None:
        sid, num_pr = _paragraph_props(p)
        style_heading, style_bold, _ = self.styles.info(sid)
        label = self.numbering.label(num_pr, sid)
        lines, boxes = paragraph_lines(p)
        if label:
            lines[0] = label + lines[0]
        text_len = sum(len(x.strip()) for x in lines)
        heading = style_heading or (0 < text_len <= 60 and _all_bold_or_heading_face(p, style_bold))
        for line in lines:
            text = collapse_spaces(line)
            if text:
                self.blocks.append(Paragraph(text, heading=heading))
        for box in boxes:  # text boxes anchored in the paragraph follow it
            self.body(box)

    # ------------------------------------------------------------------------------------- tables

    def table(self, tbl) -> Table:
        cells: list[Cell] = []
        below: dict[int, Cell] = {}  # grid column -> the cell occupying it in the previous row
        for r, tr in enumerate(_children(tbl, W_TR)):
            self._tick()
            col = 0
            trpr = _props(tr, TR_PR)
            if trpr is not None:
                for child in trpr.iterchildren(GRID_BEFORE):
                    col = _int(child, 0)
            above, below = below, {}
            previous: Cell | None = None
            for tc in _children(tr, W_TC):
                pr = _props(tc, TC_PR)
                span, vmerge, hmerge = 1, None, None
                if pr is not None:
                    for child in pr:
                        tag = child.tag
                        if tag == GRID_SPAN:
                            span = max(_int(child, 1), 1)
                        elif tag == V_MERGE:
                            vmerge = child
                        elif tag == H_MERGE:
                            hmerge = child
                text = self.cell_text(tc)
                if vmerge is not None and vmerge.get(W_VAL, "continue") == "continue" and col in above:
                    cell = above[col]
                    cell.rowspan = r - cell.row + 1
                    if text:  # text left in a merged-away cell is still printed: keep it
                        cell.text = join_lines([cell.text, text])
                elif (
                    hmerge is not None
                    and hmerge.get(W_VAL, "continue") == "continue"
                    and previous is not None
                ):
                    cell = previous  # legacy horizontal merge (Word 97 era documents)
                    cell.colspan += span
                    if text:
                        cell.text = join_lines([cell.text, text])
                else:
                    cell = Cell(text, r, col, 1, span)
                    cells.append(cell)
                    self.n_cells += 1
                for c in range(col, col + span):
                    below[c] = cell
                previous = cell
                col += span
        if self.n_cells > self.limits.max_cells:
            raise ParseError(f"more than {self.limits.max_cells} table cells", kind="too_large")
        _merge_hairline_columns(cells, tbl)
        _drop_phantom_columns(cells)
        return Table(cells)

    def cell_text(self, tc) -> str:
        """The cell's paragraphs, and nested tables row by row, as one line of text."""
        parts: list[str] = []
        for child in tc.iterchildren():
            tag = child.tag
            if tag == W_P:
                sid, num_pr = _paragraph_props(child)
                label = self.numbering.label(num_pr, sid)
                lines, boxes = paragraph_lines(child)
                if label:
                    lines[0] = label + lines[0]
                parts.extend(lines)
                parts.extend(self.cell_text(box) for box in boxes)
            elif tag == W_TBL:
                nested = self.table(child)
                parts.extend(" ".join(c.text for c in row if c.text) for row in nested.rows())
            elif tag in _WRAPPERS:
                parts.append(self.cell_text(child))
        return join_lines(parts)


HAIRLINE_TWIPS = 30  # 1.5 pt: narrower grid columns are borders a hair apart, not printed columns


def _merge_hairline_columns(cells: list[Cell], tbl) -> None:
    """Treat grid boundaries closer than a hairline as one (Word/LibreOffice round trips leave 1-twip
    grid columns where two rows' borders almost meet)."""
    widths = []
    for col in tbl.iterfind(TBL_GRID_COL):
        try:
            widths.append(float(col.get(W_W, "")))
        except ValueError:
            return  # no usable widths: leave the grid as written
    if not widths or min(widths) >= HAIRLINE_TWIPS:
        return
    index = [0]
    for width in widths:
        index.append(index[-1] + (1 if width >= HAIRLINE_TWIPS else 0))
    for cell in cells:
        start = index[min(cell.col, len(widths))]
        end = index[min(cell.col + cell.colspan, len(widths))]
        cell.col, cell.colspan = start, max(end - start, 1)


def _drop_phantom_columns(cells: list[Cell]) -> None:
    """Renumber grid columns so that only boundaries some cell actually has remain.

    Word's w:tblGrid gains a column wherever two rows' borders are a hair apart; if every row spans
    it, the printed table has no such column (a '总计' cell at gridSpan 2 in every row is one column).
    """
    edges = sorted({c.col for c in cells} | {c.col + c.colspan for c in cells})
    index = {x: k for k, x in enumerate(edges)}
    for cell in cells:
        end = index[cell.col + cell.colspan]
        cell.col = index[cell.col]
        cell.colspan = end - cell.col


def _children(parent, tag: str):
    """Direct children with `tag`, looking through content controls and custom XML wrappers."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _int(el, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(W_VAL, default))
    except (TypeError, ValueError):
        return default


def paragraph_lines(p) -> tuple[list[str], list]:
    """The paragraph's text split at line breaks, and the text boxes found inside it.

    The fast path lets lxml find the text elements; paragraphs holding text boxes, alternate content
    or tracked deletions take the careful walk, which prunes what is not printed.
    """
    lines = [""]
    for el in p.iter(*_TEXT_TAGS):
        tag = el.tag
        if tag == W_T:
            if el.text:
                lines[-1] += el.text
        elif tag in (W_TAB, W_PTAB):
            lines[-1] += " "
        elif tag in (W_BR, W_CR):
            if el.get(W_TYPE, "textWrapping") == "textWrapping":
                lines.append("")
        elif tag == W_NB_HYPHEN:
            lines[-1] += "-"
        else:
            return _careful_lines(p)
    return lines, []


def _careful_lines(p) -> tuple[list[str], list]:
    lines = [""]
    boxes: list = []

    def walk(el) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if tag == W_T:
                lines[-1] += child.text or ""
            elif tag in (W_TAB, W_PTAB):
                lines[-1] += " "
            elif tag in (W_BR, W_CR):
                if child.get(W_TYPE, "textWrapping") == "textWrapping":
                    lines.append("")
            elif tag == W_NB_HYPHEN:
                lines[-1] += "-"
            elif tag == W_TXBX:
                boxes.append(child)
            elif tag == MC_ALTERNATE:
                choice = child.find(MC_CHOICE)  # Choice and Fallback carry the same content twice
                if choice is not None:
                    walk(choice)
            elif tag == W_R and _hidden(child):
                continue  # hidden text (w:vanish) is not printed
            elif isinstance(tag, str) and tag not in _SKIP:
                walk(child)

    walk(p)
    return lines, boxes


def _hidden(run) -> bool:
    rpr = _props(run, W_RPR)
    if rpr is None:
        return False
    for child in rpr.iterchildren(W_VANISH):
        return child.get(W_VAL, "1").lower() not in _FALSE
    return False


def _all_bold_or_heading_face(p, style_bold: bool) -> bool:
    """Whether every run with visible text is bold (directly or through the paragraph style), or set
    in a heading face: official documents (GB/T 9704) print headings in 黑体/楷体/小标宋 over a 仿宋
    body, at the body's size and without bold."""
    seen, bold, face = False, True, True
    for run in p.iter(W_R):
        text = "".join(t.text or "" for t in run.iterchildren(W_T))
        if not text.strip():
            continue
        seen = True
        bold = bold and _run_bold(run, style_bold)
        face = face and _heading_face(run)
        if not (bold or face):
            return False
    return seen


def _heading_face(run) -> bool:
    rpr = _props(run, W_RPR)
    if rpr is None:
        return False
    for fonts in rpr.iterchildren(W_RFONTS):
        name = fonts.get(W_EAST_ASIA) or fonts.get(W_ASCII) or ""
        return any(face in name for face in HEADING_FACES)
    return False
