"""What PDFium sees on one page: characters with their boxes, ruling lines, and image coverage.

Everything is returned in display coordinates (points, origin top-left, y growing downwards, page
rotation applied), which is what the table geometry of `pdfplumber.table` expects. We read through
PDFium's C API directly: one call per character is far cheaper than pdfminer's per-character objects.
"""

from __future__ import annotations

import ctypes
import math
import unicodedata
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

# A path segment shorter than this across its run is a straight ruling line (points).
_STRAIGHT = 0.8
_WHITESPACE = frozenset(" \t\u00a0\u3000\u2002\u2003\u2009")
MAX_SEGMENTS = 100_000  # path segments per page worth searching for rules
MAX_OBJECTS = 200_000  # page objects per page worth looking at
MAX_CHARS = 200_000  # characters per page worth reading
_LATIN1_IN_CHINESE = frozenset((0xB0, 0xB1, 0xB7, 0xD7, 0xF7))  # ° ± · × ÷
_BOLD_NAMES = ("bold", "heavy", "black", "semibold", "demi")


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # font size in points
    bold: bool = False
    font: str = ""  # base font name without the subset prefix

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class PageContent:
    width: float
    height: float
    chars: list[Char]
    edges: list[dict]  # pdfplumber edge dicts: x0, x1, top, bottom, width, height, orientation
    image_area: float  # share of the page covered by images (0..1), to spot scanned pages
    # Glyphs whose font gives no Unicode: control codes, U+FFFD, private use, and Latin-1 letters
    # (counted here but kept in `chars`).
    unmapped: int = 0
    # Text objects in a font the file does not embed, which PDFium could not place: with no system font
    # to stand in (a server without CJK fonts), it drops their characters from the text page.
    unplaced: int = 0
    turn: int = 0  # quarter turns (clockwise) given to a page whose text runs up or down it

    @property
    def garbled(self) -> bool:
        """Most glyphs have no Unicode: the text layer cannot be read, only seen (OCR)."""
        return self.unmapped >= 10 and self.unmapped >= 0.3 * max(len(self.chars), 1)


class _Transform:
    """User space (PDF units, y up) to display space (y down), honouring /Rotate."""

    def __init__(self, box: tuple[float, float, float, float], rotation: int):
        self.left, self.bottom, self.right, self.top = box
        self.rotation = rotation % 4
        w, h = self.right - self.left, self.top - self.bottom
        self.width, self.height = (h, w) if self.rotation in (1, 3) else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return x - self.left, self.top - y
        if r == 1:  # 90° clockwise: the left edge is now at the top
            return y - self.bottom, x - self.left
        if r == 2:
            return self.right - x, y - self.bottom
        return self.top - y, self.right - x

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def read_page(page, textpage) -> PageContent:
    """`page` and `textpage` are pypdfium2 PdfPage/PdfTextPage (only their raw handles are used)."""
    raw_page = page.raw
    box = page.get_cropbox()
    tf = _Transform(box, pdfium_c.FPDFPage_GetRotation(raw_page))
    turn = _text_turn(textpage.raw)
    if turn:
        # The page's text runs up or down the page (a landscape table set sideways on a portrait
        # page): read it as the reader turning the page would.
        tf = _Transform(box, pdfium_c.FPDFPage_GetRotation(raw_page) + turn)
    chars, unmapped = _chars(textpage.raw, tf)
    edges: list[dict] = []
    image_area, unplaced = _objects(raw_page, tf, edges)
    return PageContent(tf.width, tf.height, chars, edges, image_area, unmapped, unplaced, turn)


def _text_turn(tp, sample: int = 80) -> int:
    """Quarter turns (clockwise) that make most of the page's text horizontal: 0, 1, 2 or 3."""
    n = pdfium_c.FPDFText_CountChars(tp)
    votes = [0, 0, 0, 0]
    step = max(n // sample, 1)
    for i in range(0, n, step):
        if pdfium_c.FPDFText_GetUnicode(tp, i) <= 0x20:
            continue
        angle = pdfium_c.FPDFText_GetCharAngle(tp, i)
        if angle < 0:
            continue
        nearest = round(angle / (math.pi / 2))
        if abs(angle - nearest * math.pi / 2) < 0.2:  # upright or sideways, not slanted (watermarks)
            votes[nearest % 4] += 1
    best = max(range(4), key=votes.__getitem__)
    if best == 0 or votes[best] <= 2 * votes[0]:
        return 0
    # PDFium measures the angle clockwise on the page as displayed; turning the page back by the
    # same angle makes the text upright.
    return (4 - best) % 4


def _chars(tp, tf: _Transform) -> tuple[list[Char], int]:
    n = min(pdfium_c.FPDFText_CountChars(tp), MAX_CHARS)
    out: list[Char] = []
    unmapped = 0
    rect = pdfium_c.FS_RECTF()
    get_unicode = pdfium_c.FPDFText_GetUnicode
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    is_generated = pdfium_c.FPDFText_IsGenerated
    get_object = pdfium_c.FPDFText_GetTextObject
    get_font_size = pdfium_c.FPDFText_GetFontSize
    fonts: dict[int, tuple[bool, str]] = {}
    for i in range(n):
        code = get_unicode(tp, i)
        if code < 0x20 or code == 0xFFFE or code == 0xFFFF or code == 0xFFFD or 0xE000 <= code <= 0xF8FF:
            # PDFium's generated line breaks and soft-hyphen markers, or glyphs without Unicode.
            if code not in (9, 10, 13, 0xFFFE, 0xFFFF) and not is_generated(tp, i):
                unmapped += 1
            continue
        if 0xA1 <= code <= 0xFF and code not in _LATIN1_IN_CHINESE:
            # Latin-1 letters in a Chinese report are what glyph codes look like without a ToUnicode map
            unmapped += 1
        ch = chr(code)
        if 0x2E80 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F:
            # Fonts that map glyphs to Kangxi radicals or compatibility ideographs ('⾏' for '行').
            ch = unicodedata.normalize("NFKC", ch)
        if ch in _WHITESPACE and is_generated(tp, i):
            continue  # a space PDFium guessed; we decide spacing from the gaps ourselves
        if not get_box(tp, i, rect):
            continue
        x0, top, x1, bottom = tf.box(rect.left, rect.bottom, rect.right, rect.top)
        if bottom <= top:
            continue
        size = get_font_size(tp, i) or (bottom - top)
        obj = get_object(tp, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        font = fonts.get(key)
        if font is None:
            font = fonts[key] = _font(obj) if key else (False, "")
        out.append(Char(ch, x0, top, x1, bottom, size, font[0], font[1]))
    return out, unmapped


def _font(text_obj) -> tuple[bool, str]:
    """(bold, name): bold by font name or weight, or faked bold (glyphs filled and stroked)."""
    fake_bold = pdfium_c.FPDFTextObj_GetTextRenderMode(text_obj) == pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE
    font = pdfium_c.FPDFTextObj_GetFont(text_obj)
    if not font:
        return fake_bold, ""
    buf = ctypes.create_string_buffer(128)
    pdfium_c.FPDFFont_GetBaseFontName(font, buf, len(buf))
    name = buf.value.decode("latin-1").split("+", 1)[-1]
    lowered = name.lower()
    bold = fake_bold or pdfium_c.FPDFFont_GetWeight(font) >= 600 or any(b in lowered for b in _BOLD_NAMES)
    return bold, name


def _objects(raw_page, tf: _Transform, edges: list[dict]) -> tuple[float, int]:
    """Collect the ruling edges of the page's paths into `edges`; return the share of the page covered
    by images and the number of text objects PDFium could not place (see PageContent.unplaced).

    A page drawn with more path segments than any form has (maps, charts, hostile files) gets no
    edges at all: its table search would cost more than the rest of the document.
    """
    page_area = max(tf.width * tf.height, 1.0)
    image_area = 0.0
    segments = objects = unplaced = 0
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack = [(raw_page, False, identity, 0)]
    matrix = pdfium_c.FS_MATRIX()
    while stack:
        parent, is_form, ctm, depth = stack.pop()
        if is_form:
            count, get = pdfium_c.FPDFFormObj_CountObjects(parent), pdfium_c.FPDFFormObj_GetObject
        else:
            count, get = pdfium_c.FPDFPage_CountObjects(parent), pdfium_c.FPDFPage_GetObject
        for i in range(max(count, 0)):
            objects += 1
            if objects > MAX_OBJECTS:
                edges.clear()
                return min(image_area, 1.0), unplaced
            obj = get(parent, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                if segments > MAX_SEGMENTS or not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
                    continue
                m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), ctm)
                segments += _path_edges(obj, m, tf, edges)
                if segments > MAX_SEGMENTS:
                    edges.clear()
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                image_area += _image_area(obj, ctm, tf) / page_area
            elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                unplaced += _unplaced(obj)
            elif (
                kind == pdfium_c.FPDF_PAGEOBJ_FORM
                and depth < 8
                and pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
            ):
                m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), ctm)
                stack.append((obj, True, m, depth + 1))
    return min(image_area, 1.0), unplaced


def _unplaced(text_obj) -> int:
    """1 for a text object in a font the file does not embed whose glyphs PDFium gave no width."""
    font = pdfium_c.FPDFTextObj_GetFont(text_obj)
    if not font or pdfium_c.FPDFFont_GetIsEmbedded(font):
        return 0
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetBounds(text_obj, left, bottom, right, top):
        return 0
    return int(right.value - left.value < 0.01)


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying `inner` first, then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _image_area(obj, ctm: tuple, tf: _Transform) -> float:
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return 0.0
    corners = [_apply(ctm, x, y) for x, y in ((left.value, bottom.value), (right.value, top.value))]
    (x0, y0), (x1, y1) = corners
    # Clip to the page: scans are often placed slightly larger than the page.
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    x0, x1 = max(x0, tf.left), min(x1, tf.right)
    y0, y1 = max(y0, tf.bottom), min(y1, tf.top)
    return max(x1 - x0, 0.0) * max(y1 - y0, 0.0)


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _path_edges(obj, m: tuple, tf: _Transform, edges: list[dict]) -> int:
    """Add the path's horizontal and vertical segments to `edges`; return how many segments it has."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not (fill.value or stroke.value):
        return 0  # a clipping path: nothing is drawn
    n = max(pdfium_c.FPDFPath_CountSegments(obj), 0)
    if n > MAX_SEGMENTS:
        return n
    x, y = ctypes.c_float(), ctypes.c_float()
    start = prev = None
    for k in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        point = tf.point(*_apply(m, x.value, y.value))
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = prev = point
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
            _add_edge(prev, point, edges)
        prev = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            _add_edge(point, start, edges)
            prev = start
    return n


def _add_edge(p: tuple[float, float], q: tuple[float, float], edges: list[dict]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) <= _STRAIGHT and abs(x1 - x0) > _STRAIGHT:
        left, right = sorted((x0, x1))
        top = (y0 + y1) / 2
        edges.append(
            {"x0": left, "x1": right, "top": top, "bottom": top, "doctop": top, "width": right - left,
             "height": 0.0, "orientation": "h"}
        )  # fmt: skip
    elif abs(x1 - x0) <= _STRAIGHT and abs(y1 - y0) > _STRAIGHT:
        top, bottom = sorted((y0, y1))
        x = (x0 + x1) / 2
        edges.append(
            {"x0": x, "x1": x, "top": top, "bottom": bottom, "doctop": top, "width": 0.0,
             "height": bottom - top, "orientation": "v"}
        )  # fmt: skip
