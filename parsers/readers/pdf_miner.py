"""The characters of a page as pdfminer (through pdfplumber) decodes them: the fallback for pages PDFium
cannot read whole.

PDFium places a glyph only with a font to measure it by. A PDF that does not embed its Chinese font
(STSong-Light and the other Adobe CID fonts of older producers) is read through a system font standing
in for it; on a machine without any CJK font PDFium drops those characters from its text page without a
word. pdfminer takes the widths and the Unicode mapping from the file itself (its /W array and the
predefined CMaps), so it reads such a page whole, at the cost of being slower: it is used only for the
pages that need it.
"""

from __future__ import annotations

import io
import unicodedata

from parsers.readers.pdf_page import Char

_BOLD_NAMES = ("bold", "heavy", "black", "semibold", "demi")


class MinerPages:
    """Opens the document with pdfplumber once, on the first page that needs it."""

    def __init__(self, data: bytes):
        self._data = data
        self._pdf = None

    def chars(self, index: int, width: float, height: float, turn: int = 0) -> list[Char] | None:
        """The page's characters in the display coordinates of the PDFium reader (`turn`: the quarter
        turns it gave a page whose text runs up or down it), or None when the page's size is not the
        one that reader saw (a crop box off the origin)."""
        import pdfplumber

        if self._pdf is None:
            self._pdf = pdfplumber.open(io.BytesIO(self._data))
        page = self._pdf.pages[index]
        try:
            # pdfminer turns the page by its /Rotate, as PDFium does.
            w, h = page.width, page.height
            seen = (h, w) if turn % 2 else (w, h)
            if page.bbox[:2] != (0, 0) or (round(seen[0], 1), round(seen[1], 1)) != (
                round(width, 1),
                round(height, 1),
            ):
                return None
            out: list[Char] = []
            for c in page.chars:
                text = c["text"]
                if len(text) != 1 or ord(text) < 0x20:
                    continue
                if 0x2E80 <= ord(text) <= 0x2FDF or 0xF900 <= ord(text) <= 0xFAFF:
                    text = unicodedata.normalize("NFKC", text)  # Kangxi radicals for ideographs, as PDFium's
                name = str(c.get("fontname", "")).split("+", 1)[-1]
                bold = any(b in name.lower() for b in _BOLD_NAMES)
                x0, top, x1, bottom = _turned(c["x0"], c["top"], c["x1"], c["bottom"], turn, w, h)
                out.append(Char(text, x0, top, x1, bottom, c["size"], bold, name))
            return out
        finally:
            page.close()  # pdfplumber caches the page's layout objects until closed

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _turned(x0: float, top: float, x1: float, bottom: float, turn: int, w: float, h: float):
    """A box on a w x h page as it stands once the page is given `turn` clockwise quarter turns."""
    turn %= 4
    if turn == 0:
        return x0, top, x1, bottom
    if turn == 1:
        return h - bottom, x0, h - top, x1
    if turn == 2:
        return w - x1, h - bottom, w - x0, h - top
    return top, w - x1, bottom, w - x0
