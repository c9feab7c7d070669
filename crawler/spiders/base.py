"""What every family spider shares: start URLs from the registry, list pages, detail pages, attachments.

A family spider (one per CMS family, not per site) reads every registry site of its family. List pages are
read by the family's list reader; detail pages and attachments the same way for all families, since the
report conventions (sites.md §4) do not depend on the CMS. A page is routed by what it is, not only by the
link that led to it: a list link that returns an article is read as an article (docid folders), a Hanweb
column that now redirects to a TRS list (the kw migration, E4) is read as a TRS list.

Requests carry `meta`: `site` (registry name), `role` (list | data | detail | attachment | continuation),
`link_title`, `alt_urls`, `optional` (a start URL whose 404 is expected), `known_report` (a URL we check
because a report was seen there before).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import replace
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import FormRequest, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import mime
from crawler.classify import WEAK_REPORT_TITLE, TitleInfo, classify_title, looks_like_report_text
from crawler.encoding import checked_encoding
from crawler.extract import hanweb
from crawler.extract.detail import DetailPage, body_node, declared_type, read_detail
from crawler.extract.links import Link, extract_links, link_kind
from crawler.extract.trs import find_pager, page_urls
from crawler.items import Part, ReportCapture
from crawler.middlewares.antibot import HostBlocked
from crawler.middlewares.redirect import RedirectLoop
from crawler.middlewares.robots import RobotsDisallowed
from crawler.registry import Site, load_sites, select_sites
from crawler.urls import canonicalize, host_of, url_key

logger = logging.getLogger(__name__)

HANWEB_COLUMN_ID = re.compile(r"/col/col(\d+)/")


class ReportSpider(scrapy.Spider):
    name: ClassVar[str | None] = None  # the base is no spider of its own (`scrapy list` shows the families)
    family: ClassVar[str] = "trs"

    def __init__(self, sites: Iterable[Site] | str | None = None, ctx: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.ctx = ctx
        self._sites_arg = sites
        self.sites: list[Site] = []
        self._owns_ctx = False
        self._revisit_scheduled = False

    # --- set-up ---------------------------------------------------------------------------------------
    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ReportSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider._setup(crawler)
        return spider

    def _setup(self, crawler: Crawler) -> None:
        if isinstance(self._sites_arg, str) or self._sites_arg is None:
            names = [n for n in (self._sites_arg or "").split(",") if n]
            all_sites = load_sites()
            chosen = select_sites(all_sites, names)
            self.sites = [s for s in chosen if names or s.spider_family == self.family]
        else:
            self.sites = list(self._sites_arg)
        if self.ctx is None:
            # `scrapy crawl trs -a sites=kw`: the spider opens (and closes) its own run.
            from crawler.runner import open_context

            self.ctx = open_context(self.sites)
            self._owns_ctx = True
        self.allowed_domains = sorted({d for s in self.sites for d in s.allowed_domains})
        slots = dict(crawler.settings.getdict("DOWNLOAD_SLOTS"))
        for site in self.sites:
            conf: dict[str, Any] = {}
            if site.delay is not None:
                conf["delay"] = site.delay
            if site.concurrency is not None:
                conf["concurrency"] = site.concurrency
            for host in site.allowed_domains:
                if conf:
                    slots[host] = {**slots.get(host, {}), **conf}
        crawler.settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        crawler.signals.connect(self._on_idle, signal=signals.spider_idle)
        crawler.signals.connect(self._on_closed, signal=signals.spider_closed)

    async def start(self) -> AsyncIterator[Request]:
        for site in self.sites:
            for start in site.start_urls:
                yield self.list_request(
                    start.url, site, family=start.family, optional=start.optional, priority=10
                )

    # --- requests -------------------------------------------------------------------------------------
    def list_request(self, url: str, site: Site, **meta: Any) -> Request:
        priority = meta.pop("priority", 5)
        return Request(
            url,
            callback=self.parse_list,
            errback=self.on_error,
            priority=priority,
            meta={"site": site.name, "role": "list", **meta},
        )

    def detail_request(self, link: Link, site: Site, **meta: Any) -> Request:
        alt = [link.raw_url] if canonicalize(link.raw_url) != link.raw_url else []
        return Request(
            link.url,
            callback=self.parse_detail,
            errback=self.on_error,
            meta={"site": site.name, "role": "detail", "link_title": link.title, "alt_urls": alt, **meta},
        )

    def site_of(self, response_or_request: Response | Request) -> Site:
        return self.ctx.site(response_or_request.meta["site"])

    # --- list pages -----------------------------------------------------------------------------------
    async def parse_list(self, response: Response) -> AsyncIterator[Request | ReportCapture]:
        site = self.site_of(response)
        if not isinstance(response, TextResponse):
            async for item in self.parse_detail(response):  # a list link that turned out to be a document
                yield item
            return
        response, _note = checked_encoding(response)
        if hanweb.is_hanweb_column(response.text):
            for request in self.parse_hanweb_column(response, site):
                yield request
        elif _is_article(response):
            async for item in self.parse_detail(response):
                yield item
        else:
            for request in self.parse_listing(response, site):
                yield request

    def parse_listing(self, response: TextResponse, site: Site) -> Iterator[Request]:
        """A TRS-style list: items, sub-columns (year folders, tabs) and the pager."""
        links = extract_links(response.selector, response.url)
        items = 0
        for link in links:
            request = self.follow_link(link, site, response)
            if request is not None:
                items += request.meta.get("role") != "list"
                yield request
        pager = find_pager(response.selector, response.url)
        if pager is not None and not pager.is_article and not response.meta.get("page_of"):
            for n, url in enumerate(page_urls(response.url, pager), start=1):
                yield self.list_request(
                    url, site, page_of=response.url, page_number=n, scope=response.meta.get("scope")
                )
        self.ctx.state.count("lists")
        self.ctx.state.count("list_items", items)

    def follow_link(
        self, link: Link, site: Site, response: Response, *, in_column: bool = False
    ) -> Request | None:
        """The request a link on a list page deserves, or None (navigation, off-site, out of scope)."""
        if not site.allows_host(host_of(link.url)):
            if classify_title(link.title).kind == "report":
                self.ctx.state.count("offsite/report_links")
            return None
        if url_key(link.url) == url_key(response.url):
            return None
        kind = link_kind(link.url)
        title = classify_title(link.title)
        scoped = in_column or self._in_scope(link.url, site, response)
        if kind == "attachment":
            # A report published only as a file, listed directly (attachment-only report).
            if title.kind == "report" or (scoped and title.kind == "unknown"):
                return self.detail_request(link, site, role="detail", robots_scope=None)
            return None
        # A dated 年报 outside the column's folder (a JSP with a query string, E28) is worth one fetch:
        # the page's own title and text decide whether it is a report.
        names_report = title.kind == "report" or _dated_report_words(title)
        if kind == "detail" or (kind == "other" and (names_report or in_column)):
            if scoped or names_report:
                return self.detail_request(link, site)
            return None
        if (
            kind == "folder"
            and self._in_scope(link.url, site, response)
            and not _is_ancestor(link.url, response.url)
        ):
            if title.kind == "report":
                return self.detail_request(link, site)  # a docid folder holding one report
            return self.list_request(link.url, site, link_title=link.title, scope=response.meta.get("scope"))
        return None

    def _in_scope(self, url: str, site: Site, response: Response) -> bool:
        scope = response.meta.get("scope")
        if scope:
            return site.allows_host(host_of(url)) and urlsplit(url).path.startswith(scope)
        return site.in_scope(url)

    # --- Hanweb columns -------------------------------------------------------------------------------
    def parse_hanweb_column(self, response: TextResponse, site: Site) -> Iterator[Request]:
        units = hanweb.parse_units(response.text, response.url)
        m = HANWEB_COLUMN_ID.search(response.url)
        wanted = [u for u in units if m and u.ajax_param.get("columnid") == m.group(1)] or units
        for unit in wanted:
            for link in unit.records:
                request = self.follow_link(link, site, response, in_column=True)
                if request is not None:
                    yield request
            windows = unit.window_requests()
            for url, form in windows:
                yield self.data_request(url, form, site, unit.total_record)
            if not windows and unit.nextgroup and unit.total_record and len(unit.records) < unit.total_record:
                yield Request(
                    unit.nextgroup,
                    callback=self.parse_dataproxy,
                    errback=self.on_error,
                    meta={
                        "site": site.name,
                        "role": "data",
                        "robots_scope": "page-resource",
                        "page_mode": True,
                    },
                )
        for link in hanweb.js_array_links(response.text, response.url):
            request = self.follow_link(link, site, response, in_column=True)
            if request is not None:
                yield request
        self.ctx.state.count("lists")

    def data_request(self, url: str, form: dict[str, str], site: Site, total: int | None) -> Request:
        return FormRequest(
            url,
            formdata=form,
            callback=self.parse_dataproxy,
            errback=self.on_error,
            meta={
                "site": site.name,
                "role": "data",
                "robots_scope": "page-resource",
                "form": form,
                "expected_total": total,
            },
        )

    def parse_dataproxy(self, response: Response) -> Iterator[Request]:
        site = self.site_of(response)
        answer = hanweb.parse_dataproxy(
            response.text if isinstance(response, TextResponse) else "", response.url
        )
        for link in answer.records:
            request = self.follow_link(link, site, response, in_column=True)
            if request is not None:
                yield request
        if response.meta.get("page_mode") and answer.total_page:
            base = response.url
            for n in range(2, answer.total_page + 1):
                url = re.sub(r"([?&])page=\d+", rf"\g<1>page={n}", base)
                yield Request(
                    url,
                    callback=self.parse_dataproxy,
                    errback=self.on_error,
                    meta={"site": site.name, "role": "data", "robots_scope": "page-resource"},
                )
        self.ctx.state.count("data_records", len(answer.records))

    # --- detail pages ---------------------------------------------------------------------------------
    async def parse_detail(self, response: Response) -> AsyncIterator[Request | ReportCapture]:
        site = self.site_of(response)
        link_title = response.meta.get("link_title") or ""
        if not isinstance(response, TextResponse) or mime.sniff(response.body) not in (None, "html"):
            capture = self._file_report(response, site, link_title)
            if capture is not None:
                yield capture
            return
        response, encoding_note = checked_encoding(response)
        if encoding_note:
            self.ctx.state.count("encoding_mismatches")
            self._flag_mismatch(response.url, "declared charset", "actual charset", encoding_note)
        if hanweb.is_hanweb_column(response.text):
            for request in self.parse_list_again(response, site):
                yield request
            return
        page = read_detail(response.selector, response.url, response.text)
        if not (page.has_body or "ArticleTitle" in page.meta) and _looks_like_list(response):
            for request in self.parse_list_again(response, site):
                yield request
            return
        info = self._report_title(page, link_title)
        if info.year is None and (hint := self.year_hint(response.url)) is not None:
            info = replace(info, year=hint)
        if not self._is_report(info, page):
            self.ctx.state.count("pages/not_report")
            return
        capture = ReportCapture(
            site=site.name,
            url=response.url,
            title=info.title,
            title_info=info,
            page=self._part(response, "page"),
            alt_urls=self._alt_urls(response),
            superseded_notice=page.superseded_notice,
            superseded_by=page.superseded_by,
            encoding_note=encoding_note,
            published=page.published,
            published_from=page.published_from,
        )
        for url in page.continuation:
            capture.continuation.append(await self._fetch_part(url, "continuation", site, response))
        for link in page.attachments:
            if not site.allows_host(host_of(link.url)):
                self.ctx.state.count("offsite/attachments")
                continue
            capture.attachments.append(await self._fetch_attachment(link, site, response))
        self.ctx.state.count("report_pages")
        yield capture

    def parse_list_again(self, response: TextResponse, site: Site) -> Iterator[Request]:
        if hanweb.is_hanweb_column(response.text):
            yield from self.parse_hanweb_column(response, site)
        else:
            yield from self.parse_listing(response, site)

    def year_hint(self, url: str) -> int | None:
        """A report year the URL encodes, for pages whose title names none (family spiders override)."""
        return None

    def _report_title(self, page: DetailPage, link_title: str) -> TitleInfo:
        page_info = classify_title(page.title)
        link_info = classify_title(link_title)
        if page_info.kind == "report":
            return page_info
        if link_info.kind == "report" and page_info.kind != "negative":
            return link_info
        if (
            page_info.kind == "negative"
            and link_info.kind == "report"
            and page.title
            and len(page.title) <= 4
        ):
            return link_info  # the page shows only a stub (`科委`, E16's 2008 page); the list had the title
        return page_info if page_info.kind != "unknown" or not link_title else link_info

    def _is_report(self, info: TitleInfo, page: DetailPage) -> bool:
        if info.kind == "report":
            return looks_like_report_text(page.text) or bool(page.attachments) or page.has_body
        if info.kind == "unknown":
            return looks_like_report_text(page.text)
        return False

    def _file_report(self, response: Response, site: Site, link_title: str) -> ReportCapture | None:
        """A report published as a file linked straight from a list (no HTML page around it)."""
        info = classify_title(link_title)
        if info.kind != "report":
            self.ctx.state.count("pages/not_report")
            return None
        part = self._part(response, "page")
        part.link_text = link_title
        part.format, part.note = mime.compare(
            mime.format_of_name(response.url) or declared_type(link_title),
            _content_type(response),
            response.body,
        )
        if part.note:
            self._flag_mismatch(
                response.url, mime.format_of_name(response.url) or "?", part.format or "?", part.note
            )
        return ReportCapture(
            site=site.name,
            url=response.url,
            title=info.title,
            title_info=info,
            page=part,
            alt_urls=self._alt_urls(response),
        )

    # --- inline fetches (continuation pages, attachments) ---------------------------------------------
    async def _fetch_part(self, url: str, role: str, site: Site, referer: Response, **meta: Any) -> Part:
        request = Request(
            url,
            headers={"Referer": referer.url},
            meta={"site": site.name, "role": role, **meta},
            dont_filter=True,
        )
        try:
            response = await self.crawler.engine.download_async(request)
        except IgnoreRequest as exc:
            return Part(url=url, role=role, status=None, fetch=None, note=str(exc))
        except Exception as exc:  # after retries: timeouts, connection errors, truncated bodies
            self._download_failed(url, f"{type(exc).__name__}: {exc}", referer.url)
            return Part(url=url, role=role, status=None, fetch=None, note=f"{type(exc).__name__}: {exc}")
        part = self._part(response, role)
        if response.status in (404, 410):
            self.ctx.state.broken_link(response.url, response.status, referer.url)
            part.note = f"HTTP {response.status}"
        elif response.status >= 400:
            self.ctx.state.error("http", response.url, f"HTTP {response.status}", referer=referer.url)
            part.note = f"HTTP {response.status}"
        return part

    async def _fetch_attachment(self, link: Link, site: Site, referer: Response) -> Part:
        part = await self._fetch_part(link.url, "attachment", site, referer, robots_scope="page-resource")
        part.link_text = link.text or link.title
        if part.status is not None and 200 <= part.status < 300:
            promised = declared_type(part.link_text) or mime.format_of_name(link.url)
            part.format, part.note = mime.compare(promised, part.content_type, part.body)
            if part.note:
                self._flag_mismatch(part.url, promised or "?", part.format or "?", part.note)
        self.ctx.state.count("attachments")
        return part

    def _part(self, response: Response, role: str) -> Part:
        fetch = response.meta.get("nianbao_fetch") if response.request is not None else None
        if fetch is not None and canonicalize(fetch.final_url) != canonicalize(response.url):
            fetch = None  # a record of an earlier hop; this response came from elsewhere
        unchanged = "not_modified" in response.flags or bool(fetch is not None and not fetch.changed)
        if "resumed" in response.flags:
            fetch = self.ctx.resumed_record(response.url)
            unchanged = False  # the interrupted run may not have stored the report: store it now
        return Part(
            url=response.url,
            role=role,
            status=response.status,
            fetch=fetch,
            content_type=_content_type(response),
            body=response.body,
            unchanged=unchanged,
        )

    def _flag_mismatch(self, url: str, expected: str, received: str, note: str) -> None:
        """A document that is not what it was declared or promised to be: in the run report, and as a
        `mime_mismatch` event in the archive (next to the fetch it concerns, queryable later)."""
        self.ctx.state.mime_mismatch(url, expected, received, note)
        detail = {"url": url, "expected": expected, "received": received, "note": note}
        self.ctx.worker.submit(self.ctx.archive.record_event, self.ctx.run, "mime_mismatch", detail=detail)

    def _alt_urls(self, response: Response) -> list[str]:
        urls = [*response.meta.get("alt_urls", []), *response.meta.get("redirect_urls", [])]
        return [u for u in dict.fromkeys(urls) if u != response.url]

    # --- errors and the end of the crawl --------------------------------------------------------------
    def on_error(self, failure: Failure) -> None:
        request = failure.request
        state = self.ctx.state
        referer = (request.headers.get(b"Referer") or b"").decode("latin-1") or None
        if failure.check(HttpError):
            response = failure.value.response
            status = response.status
            if status in (404, 410):
                self.ctx.dead_urls[canonicalize(response.url)] = status
                if request.meta.get("optional"):
                    state.count("optional_start_missing")
                    return
                state.broken_link(response.url, status, referer)
                return
            state.error("http", response.url, f"HTTP {status}", referer=referer)
            self._page_failed(request, f"HTTP {status}")
        elif failure.check(HostBlocked):
            state.count("dropped/blocked")
        elif failure.check(RobotsDisallowed):
            state.count("dropped/robots")
        elif failure.check(RedirectLoop):
            state.count("dropped/redirect_loop")
        elif failure.check(IgnoreRequest):
            state.count("dropped/ignored")
        else:
            self._download_failed(request.url, f"{failure.type.__name__}: {failure.value}", referer)
            self._page_failed(request, failure.type.__name__)

    def _page_failed(self, request: Request, error: str) -> None:
        """A list or report page with no usable answer after its retries: what it would have shown is
        unknown, so the run cannot count its reports missing (`settle_run`). Attachments do not count."""
        role = request.meta.get("role")
        host = host_of(request.url)
        if role not in ("list", "data", "detail") or self.ctx.state.is_blocked(host):
            return
        if role == "detail":
            for url in [*request.meta.get("redirect_urls", []), request.url]:
                self.ctx.failed_pages[canonicalize(url)] = error
        self.ctx.state.page_failed(host, canonicalize(request.url), error, is_list=role != "detail")

    def _download_failed(self, url: str, message: str, referer: str | None) -> None:
        """A request that got no usable answer after its retries (timeout, reset, truncated body): an error
        of this URL, unless its host was given up as unreachable (then it is part of that block)."""
        if self.ctx.state.is_blocked(host_of(url)):
            self.ctx.state.count("dropped/blocked")
            return
        self.ctx.state.error("download", url, message, referer=referer)

    def _on_idle(self) -> None:
        """When the lists are done: check the pages of known reports no list linked to in this run."""
        if self._revisit_scheduled:
            return
        self._revisit_scheduled = True
        scheduled = 0
        for site in self.sites:
            for known in self.ctx.known_report_urls.get(site.name, []):
                if not site.allows_host(host_of(known.url)):
                    continue
                request = Request(
                    known.url,
                    callback=self.parse_detail,
                    errback=self.on_error,
                    priority=-10,
                    meta={"site": site.name, "role": "detail", "known_report": known.report_id},
                )
                self.crawler.engine.crawl(request)
                scheduled += 1
        if scheduled:
            self.ctx.state.count("known_report_checks", scheduled)
            raise DontCloseSpider

    def _on_closed(self, spider: scrapy.Spider, reason: str) -> None:
        self.ctx.closed_reasons[self.name] = reason
        if reason == "finished":
            self.ctx.complete_sites.update(s.name for s in self.sites)
        if self._owns_ctx:
            from crawler.runner import finish_context

            finish_context(self.ctx)


def _content_type(response: Response) -> str | None:
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1") if value else None


def _dated_report_words(title: TitleInfo) -> bool:
    """A title the classifier leaves open that has a year and says 年报/年度报告 (`2021年区政府年报（信息公开
    平台）`): not a report by itself, but a link to follow."""
    return title.kind == "unknown" and title.year is not None and bool(WEAK_REPORT_TITLE.search(title.title))


def _is_article(response: TextResponse) -> bool:
    root = response.selector.root
    if any((c or "").strip() for c in root.xpath("//meta[@name='ArticleTitle']/@content")):
        return True
    body = body_node(root)
    return body is not None and len(body.text_content().strip()) > 80


def _looks_like_list(response: TextResponse) -> bool:
    links = extract_links(response.selector, response.url)
    return sum(1 for link in links if link_kind(link.url) in ("detail", "folder")) >= 3 or bool(
        find_pager(response.selector, response.url)
    )


def _is_ancestor(url: str, of: str) -> bool:
    """`url` is a folder above the page `of` (breadcrumb navigation), not a sub-column."""
    a, b = urlsplit(url), urlsplit(of)
    if a.netloc != b.netloc:
        return False
    folder = a.path if a.path.endswith("/") else a.path.rsplit("/", 1)[0] + "/"
    own_folder = b.path if b.path.endswith("/") else b.path.rsplit("/", 1)[0] + "/"
    return (
        own_folder.startswith(folder) and folder != own_folder or folder == own_folder and _index_like(a.path)
    )


def _index_like(path: str) -> bool:
    return bool(re.search(r"/(?:index|default)\.s?html?$|/$", path))
