"""Character set detection for text and HTML: BOM, then what the source declares, then the bytes.

Chinese government pages are UTF-8 today and GB2312/GBK on legacy systems; big5 on the traditional
gateway copies. A declaration is trusted only when the bytes agree with it: a page that says `gb2312`
but is valid UTF-8 (a migrated site keeping an old template) is read as UTF-8, with a warning.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

# gb2312 is a subset that fails on characters real pages use (镕, 喆, 堃); gb18030 is its superset.
_UPGRADE = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "big5": "big5hkscs",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str  # the codec used
    declared: str | None = None  # what the source said, if anything
    warnings: list[str] = field(default_factory=list)


def canonical(name: str | None) -> str | None:
    """A codec name Python knows, upgraded to the superset real pages need; None if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _UPGRADE.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def header_charset(media_type: str | None) -> str | None:
    """The charset parameter of a Content-Type value (`text/html; charset=GBK` -> `GBK`)."""
    if not media_type:
        return None
    m = _HEADER_CHARSET.search(media_type)
    return m.group(1) if m else None


def markup_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first 4 KB (meta tag or XML declaration)."""
    head = data[:4096]
    m = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _cjk_ratio(text: str) -> float:
    # Share of CJK ideographs among the non-ASCII characters: high for real Chinese text, low for
    # mojibake (which decodes to Latin-1 symbols, box drawing, rare ideographs mixed with kana).
    non_ascii = [c for c in text[:20000] if ord(c) > 127]
    if not non_ascii:
        return 1.0
    cjk = sum(
        1
        for c in non_ascii
        if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
    )
    return cjk / len(non_ascii)


def decode(data: bytes, media_type: str | None = None, *, markup: bool = False) -> Decoded:
    """Decode bytes to text. Declarations come from `media_type`'s charset and (if `markup`) the meta tag."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(codec, errors="replace"), codec.replace("-sig", ""), None)

    declared_raw = header_charset(media_type) or (markup_charset(data) if markup else None)
    declared = canonical(declared_raw)
    warnings: list[str] = []
    if declared_raw and not declared:
        warnings.append(f"unknown declared charset {declared_raw!r}; detected the encoding from the bytes")

    if declared:
        text = _strict(data, declared)
        if text is not None:
            # A UTF-8 page mislabelled as GBK often still decodes (GB18030 accepts most byte pairs)
            # into nonsense; if the bytes are also valid UTF-8 with non-ASCII content, UTF-8 wins.
            if declared != "utf-8" and not data.isascii():
                as_utf8 = _strict(data, "utf-8")
                if as_utf8 is not None and _cjk_ratio(as_utf8) >= _cjk_ratio(text):
                    warnings.append(f"declared charset {declared_raw} but the bytes are UTF-8; read as UTF-8")
                    return Decoded(as_utf8, "utf-8", declared_raw, warnings)
            return Decoded(text, declared, declared_raw, warnings)

    guessed, text, lossy = _sniff(data)
    if declared:
        warnings.append(f"declared charset {declared_raw} does not fit the bytes; read as {guessed}")
    if lossy:
        warnings.append(
            f"the bytes are not valid in any expected encoding; read as {guessed} with replacements"
        )
    return Decoded(text, guessed, declared_raw, warnings)


def _sniff(data: bytes) -> tuple[str, str, bool]:
    """(codec, text, lossy) for bytes that declare nothing or declare wrongly."""
    if data.isascii():
        return "utf-8", data.decode("ascii"), False
    text = _strict(data, "utf-8")
    if text is not None:
        return "utf-8", text, False
    # A UTF-8 file cut short (or with one bad byte) is still UTF-8: a few replacements, not mojibake.
    lossy_utf8 = data.decode("utf-8", errors="replace")
    if lossy_utf8.count("\ufffd") <= 3:
        return "utf-8", lossy_utf8, True
    for codec in ("gb18030", "big5hkscs"):
        text = _strict(data, codec)
        if text is not None and _cjk_ratio(text) > 0.6:
            return codec, text, False
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            codec = canonical(best.encoding) or best.encoding
            text = _strict(data, codec)
            if text is not None:
                return codec, text, False
    except Exception:  # noqa: BLE001 - detection is best effort; the fallback below always works
        pass
    return "utf-8", lossy_utf8, True
