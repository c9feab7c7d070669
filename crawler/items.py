"""What a spider hands the pipeline: one report page, its continuation pages and its attachments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from crawler.classify import TitleInfo
from storage.archive import FetchRecord


@dataclass(slots=True)
class Part:
    """One fetched piece of a report, with the archive's record of it."""

    url: str
    role: str  # page | continuation | attachment
    status: int | None
    fetch: FetchRecord | None
    content_type: str | None = None
    body: bytes = b""
    link_text: str = ""
    format: str | None = None  # what the bytes are (pdf, docx, html …)
    note: str | None = None  # a MIME mismatch, a 404, a download error
    unchanged: bool = False  # the same bytes as this URL's previous capture (304, identical payload)

    @property
    def usable(self) -> bool:
        return (
            self.fetch is not None
            and self.status is not None
            and 200 <= self.status < 300
            and bool(self.body)
        )


@dataclass(slots=True)
class ReportCapture:
    site: str
    url: str  # the page's canonical URL (after redirects)
    title: str
    title_info: TitleInfo
    page: Part
    alt_urls: list[str] = field(
        default_factory=list
    )  # other URLs it was reached at (redirect sources, twins)
    continuation: list[Part] = field(default_factory=list)
    attachments: list[Part] = field(default_factory=list)
    superseded_notice: bool = False
    superseded_by: str | None = None
    encoding_note: str | None = None
    published: dt.date | None = None  # the date the page says it was published (extract/dates.py)
    published_from: str | None = None  # meta | page | url

    @property
    def parts(self) -> list[Part]:
        return [self.page, *self.continuation, *self.attachments]

    @property
    def unchanged(self) -> bool:
        """Every piece is byte-identical to its previous capture: nothing to parse again."""
        return all(p.unchanged for p in self.parts if p.fetch is not None)
