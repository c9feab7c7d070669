"""HTML pages: the report body found inside the site chrome, as paragraphs and tables with their spans.

Government detail pages wrap the report in a CMS container (`#zoom`, `.TRS_Editor`, `.TRS_UEDITOR`,
`#UCAP-CONTENT` …; sites.md §4, §7.4) between navigation, date lines and footers. The body is taken from
the first known container that holds text; without one, from <body> minus obvious chrome. Word-paste
markup (nested <span>, `&nbsp;` cells, <o:p>) is flattened; tables keep rowspan/colspan; a table that
only lays out the page (a cell holding another table, or one cell) is walked as if it were a <div>.

The document is parsed once, with lxml, and walked once.
"""

from __future__ import annotations

import re

from lxml import etree

from parsers.errors import ParseError
from parsers.layout import Cell, Layout, Paragraph, Table
from parsers.limits import Deadline, Limits
from parsers.normalize import printed
from parsers.readers.encoding import decode

# Containers of the report body, most specific first: (attribute, value) pairs.
_CONTAINERS = (
    ("id", "zoom"),
    ("class", "trs_editor"),
    ("class", "trs_ueditor"),
    ("class", "trs_editor_view"),
    ("id", "ucap-content"),
    ("id", "ivs_content"),  # www.shanghai.gov.cn and its district sites
    ("id", "maintext"),
    ("id", "xxgk_content"),
    ("id", "fontzoom"),
    ("id", "detailcont"),
    ("class", "bt_content"),
    ("class", "article-content"),
    ("class", "article_content"),
    ("class", "pages_content"),
    ("class", "news_content"),
    ("id", "content"),
    ("id", "article"),
    ("tag", "article"),
)
_RANK = {key: i for i, key in enumerate(_CONTAINERS)}
_CHROME = re.compile(
    r"(^|[\s_-])(nav|menu|header|footer|foot|breadcrumb|crumb|position|location|share|toolbar|"
    r"sidebar|banner|topbar|copyright|search|login|fujian|related)([\s_-]|$)",
    re.I,
)
_SKIP = {
    "script",
    "style",
    "noscript",
    "head",
    "title",
    "meta",
    "link",
    "iframe",
    "object",
    "embed",
    "svg",
    "select",
    "option",
    "button",
    "input",
    "textarea",
    "map",
    "template",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "nav",
    "main",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "center",
    "form",
    "fieldset",
    "address",
    "figure",
    "figcaption",
    "hr",
    "caption",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "tfoot",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BOLD = {"b", "strong"}
_META_KEYS = {
    "articletitle",
    "pubdate",
    "contentsource",
    "sitename",
    "sitedomain",
    "siteidcode",
    "columnname",
    "columntype",
    "url",
    "publishdate",
    "source",
    "keywords",
    "description",
    "author",
    "contentid",
    "firstpublishedtime",
    "maketime",
}
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_MIN_BODY_TEXT = 80
_FULL_PAGE = re.compile(r"<\s*(html|body)\b", re.I)


def read_html(data: bytes, limits: Limits, deadline: Deadline, media_type: str | None = None) -> Layout:
    decoded = decode(data, media_type, markup=True)
    text = _XML_DECL.sub("", decoded.text, count=1)
    try:
        root = etree.fromstring(text, parser=_PARSER) if text.strip() else None
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(f"unreadable HTML: {exc}", kind="unreadable") from exc
    if root is None:
        raise ParseError("unreadable HTML: no document element", kind="unreadable")
    deadline.check("parsing HTML")

    meta = _metadata(root)
    meta["encoding"] = decoded.encoding
    body, how = _body(root)
    walker = _Walker(limits, deadline)
    walker.walk(body)
    walker.flush()
    warnings = list(decoded.warnings)
    if how == "page" and _FULL_PAGE.search(text[:20000]):
        warnings.append("no known body container (#zoom, .TRS_Editor, …) on the page; read the whole page")
    title = meta.get("ArticleTitle") or meta.get("title")
    return Layout(blocks=walker.blocks, media_type="text/html", title=title, meta=meta, warnings=warnings)


# Plain lxml elements (not lxml.html's HtmlElement classes, whose per-element lookup costs more than
# the walk itself).
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, recover=True)


def _metadata(root) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip()
        content = el.get("content")
        if name and content is not None and name.lower() in _META_KEYS:
            meta.setdefault(name if name[0].isupper() else _canonical_meta(name), content.strip())
    title = root.find(".//title")
    title_text = "".join(title.itertext()) if title is not None else ""
    if title_text.strip():
        meta["title"] = printed(title_text)
    return meta


def _canonical_meta(name: str) -> str:
    # ArticleTitle/PubDate/ContentSource are written in various cases; keep one spelling.
    return {"articletitle": "ArticleTitle", "pubdate": "PubDate", "contentsource": "ContentSource"}.get(
        name.lower(), name
    )


def _text_len(el) -> int:
    return len("".join(el.itertext()).strip())


def _body(root):
    """(element holding the report body, how it was found): one pass over the elements."""
    found: dict[int, list] = {}
    for el in root.xpath("//*[@id or @class] | //article"):
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:
            continue
        keys = [("tag", tag)]
        ident = el.get("id")
        if ident:
            keys.append(("id", ident.lower()))
        classes = el.get("class")
        if classes:
            keys.extend(("class", c) for c in classes.lower().split())
        for key in keys:
            rank = _RANK.get(key)
            if rank is not None:
                found.setdefault(rank, []).append(el)
    for rank in sorted(found):
        best, best_len = None, -1
        for el in found[rank]:  # the first of the longest, each text measured once
            n = _text_len(el)
            if n > best_len:
                best, best_len = el, n
        if best_len >= _MIN_BODY_TEXT or best.find(".//table") is not None:
            return best, "container"
    body = root.find("body")
    if body is None:
        body = root
    for el in list(body.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        chrome = el.tag in ("nav", "header", "footer")
        classes, ident = el.get("class"), el.get("id")
        if not chrome and (classes or ident):  # most elements have neither
            marks = f"{classes or ''} {ident or ''}"
            chrome = bool(marks.strip() and _CHROME.search(marks))
        if chrome and (el.find(".//table") is None or _text_len(el) < 40):
            _drop(el)
    return body, "page"


def _drop(el) -> None:
    """Remove an element and its content, keeping the text that follows it (lxml.html's drop_tree)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _is_layout_table(tbl) -> bool:
    """A table that arranges the page rather than holding figures."""
    if tbl.find(".//table") is not None:
        return True
    rows = _rows_of(tbl)
    cells = [c for r in rows for c in _cells_of(r)]
    if len(cells) <= 1:
        return True
    if all(len(_cells_of(r)) <= 1 for r in rows):
        return sum(_text_len(c) for c in cells) > 300
    return False


def _rows_of(tbl) -> list:
    rows = []
    for child in tbl:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("tbody", "thead", "tfoot"):
            rows.extend(r for r in child if isinstance(r.tag, str) and r.tag == "tr")
    return rows


def _cells_of(tr) -> list:
    return [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]


def _span(value: str | None, limit: int) -> int:
    if value is None:
        return 1
    if not value.isdigit():
        value = re.sub(r"[^\d]", "", value) or "1"
    return max(1, min(int(value), limit))


class _Walker:
    def __init__(self, limits: Limits, deadline: Deadline):
        self.limits = limits
        self.deadline = deadline
        self.blocks: list[Paragraph | Table] = []
        self.buf: list[str] = []
        self.bold_chars = 0
        self.plain_chars = 0
        self.heading = False
        self.cells = 0
        self.steps = 0

    # -- paragraphs --------------------------------------------------------------------------------

    def add(self, text: str | None, bold: bool) -> None:
        if not text:
            return
        self.buf.append(text)
        n = len(text.strip())
        if bold:
            self.bold_chars += n
        else:
            self.plain_chars += n

    def flush(self) -> None:
        if self.buf:
            text = printed("".join(self.buf))
            if text:
                heading = self.heading or (self.bold_chars > 0 and self.plain_chars == 0)
                self.blocks.append(Paragraph(text, heading=heading))
        self.buf = []
        self.bold_chars = self.plain_chars = 0
        self.heading = False

    def walk(self, el, bold: bool = False) -> None:
        self.steps += 1
        if self.steps % 5000 == 0:
            self.deadline.check("reading HTML")
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if not tag or tag in _SKIP or _HIDDEN.search(el.get("style") or ""):
            self.add(el.tail, bold)
            return
        if tag == "table" and not _is_layout_table(el):
            self.flush()
            table = self.table(el)
            if table.cells:
                self.blocks.append(table)
            self.add(el.tail, bold)
            return
        if tag == "br":
            self.flush()
            self.add(el.tail, bold)
            return
        block = tag in _BLOCK or tag == "table"
        if block:
            self.flush()
        inner_bold = bold or tag in _BOLD or tag in _HEADINGS
        if tag in _HEADINGS:
            self.heading = True
        self.add(el.text, inner_bold)
        for child in el:
            self.walk(child, inner_bold)
        if block:
            if tag in _HEADINGS:
                self.heading = True
            self.flush()
        self.add(el.tail, bold)

    # -- tables ------------------------------------------------------------------------------------

    def table(self, tbl) -> Table:
        rows = _rows_of(tbl)
        n_rows = len(rows)
        cells: list[Cell] = []
        taken: set[tuple[int, int]] = set()
        r = 0
        for tr in rows:
            tds = _cells_of(tr)
            if not tds:
                continue
            c = 0
            for td in tds:
                while (r, c) in taken:
                    c += 1
                rowspan = _span(td.get("rowspan"), max(1, n_rows - r))
                colspan = _span(td.get("colspan"), 200)
                cells.append(Cell(_cell_text(td), r, c, rowspan, colspan))
                for rr in range(r, r + rowspan):
                    for cc in range(c, c + colspan):
                        taken.add((rr, cc))
                c += colspan
            r += 1
        self.cells += len(cells)
        if self.cells > self.limits.max_cells:
            raise ParseError(f"more than {self.limits.max_cells:,} table cells", kind="too_large")
        # A rowspan reaching past the last printed row is cut at the table's end.
        last = r
        for cell in cells:
            if cell.row + cell.rowspan > last:
                cell.rowspan = max(1, last - cell.row)
        return Table(cells)


def _cell_text(td) -> str:
    """A cell's text on one line: its paragraphs and line breaks joined, as printed()."""
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP:
            if el.tail:
                parts.append(el.tail)
            return
        if tag in _BLOCK or tag == "br":
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if tag in _BLOCK:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    if len(td) == 0:  # a cell of bare text
        return printed(td.text or "")
    if td.text:
        parts.append(td.text)
    for child in td:
        walk(child)
    return printed("".join(parts))
