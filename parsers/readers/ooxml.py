"""The parts of a WordprocessingML package we read, found through its relationships, parsed safely.

python-docx builds its object model over every part, including a style sheet that python-docx's own
template makes 350 KB long; the reader needs the document part, and only the few styles it uses.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from lxml import etree

from parsers.errors import ParseError
from parsers.readers.containers import read_member

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W_NS = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "/officeDocument"

# No entity expansion, no network, no huge text nodes: the XML is hostile until proven otherwise.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def parse(data: bytes, what: str):
    try:
        return etree.fromstring(data.replace(STRICT_W_NS, W_NS.encode()), PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"{what} is not well-formed XML: {exc}", kind="unreadable") from exc


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship type suffix (e.g. '/styles') -> target part name, for `part` ('' = the package)."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
    raw = read_member(archive, rels_name, "DOCX")
    if raw is None:
        return {}
    try:
        root = etree.fromstring(raw, PARSER)
    except etree.XMLSyntaxError:
        return {}
    out: dict[str, str] = {}
    for rel in root.iter(f"{{{REL_NS}}}Relationship"):
        kind, target = rel.get("Type", ""), rel.get("Target", "")
        if not target or rel.get("TargetMode") == "External":
            continue
        target = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out.setdefault("/" + kind.rsplit("/", 1)[-1], target)
    return out


class WordPackage:
    """Raw bytes of the main document, its style sheet and numbering, and the core properties."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        names = set(archive.namelist())
        main = _rels(archive, "").get(OFFICE_DOCUMENT, "word/document.xml")
        if main not in names:
            raise ParseError("not a DOCX: the package has no main document part", kind="unreadable")
        self.main = main
        related = _rels(archive, main)
        self.styles_name = related.get("/styles")
        self.numbering_name = related.get("/numbering")
        self.core_name = _rels(archive, "").get("/core-properties", "docProps/core.xml")

    def read(self, name: str | None) -> bytes | None:
        return read_member(self.archive, name, "DOCX") if name else None

    def core_properties(self) -> dict[str, str]:
        raw = self.read(self.core_name)
        if not raw:
            return {}
        try:
            root = etree.fromstring(raw, PARSER)
        except etree.XMLSyntaxError:
            return {}
        out: dict[str, str] = {}
        for el in root:
            if not isinstance(el.tag, str) or not (el.text or "").strip():
                continue
            local = el.tag.rsplit("}", 1)[-1]
            if local in ("title", "creator", "created", "modified", "subject", "lastModifiedBy"):
                out[local] = el.text.strip()
        return out


class StyleSheet:
    """Heading and bold hints of paragraph styles, looked up only for the style ids a document uses.

    Finding a style's element in the raw bytes costs a memchr-speed scan; parsing the whole sheet
    would cost more than reading the document itself.
    """

    _NAME = re.compile(rb'<w:name\s+w:val="([^"]*)"')
    _BASED = re.compile(rb'<w:basedOn\s+w:val="([^"]*)"')
    _OUTLINE = re.compile(rb'<w:outlineLvl\s+w:val="(\d+)"')
    _RPR = re.compile(rb"<w:rPr>(.*?)</w:rPr>", re.DOTALL)
    _BOLD = re.compile(rb'<w:b(?:\s+w:val="([^"]*)")?\s*/>')
    _NUMPR = re.compile(rb'<w:numId\s+w:val="(\d+)"')
    _ILVL = re.compile(rb'<w:ilvl\s+w:val="(\d+)"')
    _HEADING_NAME = re.compile(r"^(heading|title|subtitle)\s*\d*$|^标题\s*\d*$", re.IGNORECASE)

    def __init__(self, raw: bytes | None):
        self.raw = raw or b""
        self._cache: dict[str, tuple[bool, bool, tuple[str, int] | None]] = {}

    def _element(self, sid: str) -> bytes | None:
        needle = f'w:styleId="{sid}"'.encode()
        at = self.raw.find(needle)
        if at < 0:
            return None
        end = self.raw.find(b"</w:style>", at)
        return self.raw[at : end if end >= 0 else at + 4000]

    def info(self, sid: str | None) -> tuple[bool, bool, tuple[str, int] | None]:
        """(heading, bold, (numId, ilvl) of numbering carried by the style) for a paragraph style."""
        if not sid:
            return False, False, None
        cached = self._cache.get(sid)
        if cached is not None:
            return cached
        self._cache[sid] = (False, False, None)  # guards against basedOn cycles
        heading, bold, numbering = False, False, None
        element = self._element(sid)
        if element is not None:
            name = self._NAME.search(element)
            outline = self._OUTLINE.search(element)
            heading = bool(
                name and self._HEADING_NAME.match(name.group(1).decode("utf-8", "replace").strip())
            )
            heading = heading or bool(outline and outline.group(1) != b"9")
            rpr = self._RPR.search(element)
            b = self._BOLD.search(rpr.group(1)) if rpr else None
            num = self._NUMPR.search(element)
            if num:
                ilvl = self._ILVL.search(element)
                numbering = (num.group(1).decode(), int(ilvl.group(1)) if ilvl else 0)
            based = self._BASED.search(element)
            parent = self.info(based.group(1).decode("utf-8", "replace")) if based else (False, False, None)
            heading = heading or parent[0]
            bold = (b.group(1) or b"1").lower() not in (b"0", b"false", b"off") if b else parent[1]
            numbering = numbering or parent[2]
        result = (heading, bold, numbering)
        self._cache[sid] = result
        return result
