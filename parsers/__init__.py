"""The shared parser: bytes of a report in, the document of docs/SCHEMA.md out.

Pure: no file, network or database access, and nothing of Scrapy. `__version__` changes whenever the
output for some input can change; it is written into every document, so the archive knows what to
re-parse.
"""

__version__ = "0.7.5"

from parsers.errors import ParseError  # noqa: E402
from parsers.model import Check, Document, Fact, Section, Source  # noqa: E402

__all__ = ["__version__", "parse", "Limits", "ParseError", "Document", "Fact", "Check", "Section", "Source"]


def __getattr__(name: str):
    # parse() pulls in pdfplumber, lxml and friends; import them only when parsing is asked for.
    if name in ("parse", "Limits"):
        from parsers import api

        return getattr(api, name)
    raise AttributeError(name)
