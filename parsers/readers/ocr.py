"""OCR for scanned PDF pages, when the optional extra is installed (`pip install nianbao[ocr]`).

RapidOCR (PP-OCR models inside the wheel, so it works offline) reads the text boxes of the page
rendered by PDFium; OpenCV finds the table rulings in the same bitmap. Both become the PageContent
the text layer would have given (characters with boxes, ruling edges), so the page then goes through
the same table finder and paragraph builder as any other.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import threading

from parsers.readers.pdf_page import Char, PageContent

DPI = 150  # 10-point text is ~20 px high: enough for the recogniser, 4x cheaper than 300 dpi
MIN_SCORE = 0.5  # boxes the recogniser is less sure of are left out
_ENGINE = None
_ENGINE_LOCK = threading.Lock()
# OCR runs whenever the extra is installed; a deployment that installs it but wants scanned
# documents reported as needing OCR (it costs seconds per page) sets this to False.
ENABLED = True


def available() -> bool:
    return ENABLED and importlib.util.find_spec("rapidocr_onnxruntime") is not None


def engine_name() -> str:
    try:
        return f"rapidocr-onnxruntime {importlib.metadata.version('rapidocr-onnxruntime')}"
    except importlib.metadata.PackageNotFoundError:
        return "rapidocr-onnxruntime"


def _engine():
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:  # loading the models takes a second: once per process
            from rapidocr_onnxruntime import RapidOCR

            _ENGINE = RapidOCR()
        return _ENGINE


def ocr_page(page) -> PageContent:
    """`page`: a pypdfium2 PdfPage. The bitmap is rendered as displayed, so coordinates come out in
    the same display space as a text page's."""
    import numpy as np

    scale = DPI / 72
    bitmap = page.render(scale=scale, grayscale=True)
    gray = bitmap.to_numpy()
    if gray.ndim == 3:
        gray = gray[:, :, 0]
    gray = np.ascontiguousarray(gray)
    height, width = gray.shape
    result, _ = _engine()(np.dstack([gray] * 3))
    chars: list[Char] = []
    for quad, text, score in result or []:
        if not text or float(score) < MIN_SCORE:
            continue
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        chars.extend(_box_chars(text, min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale))
    edges = ruling_edges(gray, scale)
    return PageContent(width / scale, height / scale, chars, edges, image_area=1.0)


def _box_chars(text: str, x0: float, top: float, x1: float, bottom: float) -> list[Char]:
    """A recognised box as characters of equal width: enough to put each into its table cell."""
    step = (x1 - x0) / len(text)
    size = (bottom - top) * 0.85
    return [Char(ch, x0 + k * step, top, x0 + (k + 1) * step, bottom, size) for k, ch in enumerate(text)]


def ruling_edges(gray, scale: float) -> list[dict]:
    """Horizontal and vertical rules of a page image, as pdfplumber edge dicts in points."""
    import cv2
    import numpy as np

    height, width = gray.shape
    ink = (gray < 160).astype(np.uint8) * 255
    edges: list[dict] = []
    # A rule is a run of ink much longer than any character stroke.
    for orientation, size in (("h", (max(width // 25, 25), 1)), ("v", (1, max(height // 40, 25)))):
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, size)
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        count, _, stats, _ = cv2.connectedComponentsWithStats(lines)
        for x, y, w, h, _ in stats[1:count]:
            if orientation == "h":
                mid = (y + h / 2) / scale
                edges.append({"x0": x / scale, "x1": (x + w) / scale, "top": mid, "bottom": mid, "doctop": mid,
                              "width": w / scale, "height": 0.0, "orientation": "h"})  # fmt: skip
            else:
                mid = (x + w / 2) / scale
                edges.append({"x0": mid, "x1": mid, "top": y / scale, "bottom": (y + h) / scale, "doctop": y / scale,
                              "width": 0.0, "height": h / scale, "orientation": "v"})  # fmt: skip
    return edges
