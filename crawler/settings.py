"""Scrapy settings of the nianbao crawler: polite by default, tunable through documented environment variables.

Production defaults (docs/crawler.md, "Politeness"): robots.txt obeyed, at most 2 concurrent requests per
host, AutoThrottle on top of a 1 s delay, an honest User-Agent with a contact URL, retries with exponential
backoff for 5xx and timeouts, no retry on anti-bot answers, download size limits and timeouts.

Environment overrides (read when the settings module is imported, i.e. at crawl start):

| variable | default | meaning |
|---|---|---|
| NIANBAO_CONTACT_URL | https://github.com/nianbao/nianbao | put in the User-Agent so site operators can reach us |
| NIANBAO_CRAWL_DELAY | 1.0 | seconds between requests to one host (AutoThrottle never goes below it; at least 0.001) |
| NIANBAO_AUTOTHROTTLE | 1 | 0 turns AutoThrottle off (benchmarks against the loopback mirror) |
| NIANBAO_CONCURRENCY_PER_HOST | 2 | concurrent requests per host, capped at 2 |
| NIANBAO_CONCURRENCY | 16 | concurrent requests in all |
| NIANBAO_DOWNLOAD_TIMEOUT | 30 | seconds before a request is abandoned (then retried) |
| NIANBAO_RETRY_TIMES | 2 | retries after the first attempt, for 5xx, 408, 429 and network errors |
| NIANBAO_RETRY_BACKOFF | 2.0 | first retry delay in seconds; doubles on each further retry |
| NIANBAO_RETRY_AFTER_MAX | 120 | the longest `Retry-After` we wait for; longer ones give up on the URL |
| NIANBAO_OBEY_CRAWL_DELAY | 1 | 0 ignores `Crawl-delay:` in robots.txt (tests against the mirror only) |
| NIANBAO_ROBOTS_PAGE_RESOURCES | 0 | 1 lets page resources follow their page's robots decision (see crawler/middlewares/robots.py) |
| NIANBAO_BLOCKED_HOST_ALLOWANCE | 0 | requests still sent to a host after it answered with an anti-bot page |
| NIANBAO_MAX_FILE_BYTES | 200 MiB | largest download; larger ones are cancelled and recorded |
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

try:
    NIANBAO_VERSION = version("nianbao")
except PackageNotFoundError:  # running from a source tree that was never installed
    NIANBAO_VERSION = "0"

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

MAX_CONCURRENCY_PER_HOST = 2


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


CONTACT_URL = os.environ.get("NIANBAO_CONTACT_URL") or "https://github.com/nianbao/nianbao"
USER_AGENT = f"nianbao/{NIANBAO_VERSION} (government annual-report archive; +{CONTACT_URL})"
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
}

# --- politeness -------------------------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = _env_int("NIANBAO_CONCURRENCY", 16)
CONCURRENT_REQUESTS_PER_DOMAIN = max(
    1, min(MAX_CONCURRENCY_PER_HOST, _env_int("NIANBAO_CONCURRENCY_PER_HOST", 2))
)
# Never exactly 0: Scrapy 2.19's downloader only enforces the per-host concurrency when a slot has a
# delay (with 0 it hands every queued request of a host to the network at once; measured).
DOWNLOAD_DELAY = max(0.001, _env_float("NIANBAO_CRAWL_DELAY", 1.0))
DOWNLOAD_DELAY_JITTER = 0.5  # each wait is 0.5-1.5 × the delay, as browsers' timing varies
AUTOTHROTTLE_ENABLED = os.environ.get("NIANBAO_AUTOTHROTTLE", "1") not in ("0", "false", "no", "")
AUTOTHROTTLE_START_DELAY = max(DOWNLOAD_DELAY, 1.0)
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# Honour `Crawl-delay:` from robots.txt when it asks for more than DOWNLOAD_DELAY.
NIANBAO_OBEY_CRAWL_DELAY = os.environ.get("NIANBAO_OBEY_CRAWL_DELAY", "1") not in ("0", "false", "no")
# Off by default: robots.txt applies to every request. On, page resources (the jpage data a list page
# loads, a report's attachments) follow their page's robots decision; see crawler/middlewares/robots.py.
NIANBAO_ROBOTS_PAGE_RESOURCES = os.environ.get("NIANBAO_ROBOTS_PAGE_RESOURCES", "0") in ("1", "true", "yes")
NIANBAO_BLOCKED_HOST_ALLOWANCE = _env_int("NIANBAO_BLOCKED_HOST_ALLOWANCE", 0)

# --- robustness -------------------------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = _env_float("NIANBAO_DOWNLOAD_TIMEOUT", 30.0)
DOWNLOAD_MAXSIZE = _env_int("NIANBAO_MAX_FILE_BYTES", 200 * 1024 * 1024)
DOWNLOAD_WARNSIZE = 32 * 1024 * 1024
DOWNLOAD_FAIL_ON_DATALOSS = (
    True  # a truncated body (Content-Length larger than what came) is an error, retried
)
RETRY_ENABLED = True
RETRY_TIMES = _env_int("NIANBAO_RETRY_TIMES", 2)
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
NIANBAO_RETRY_BACKOFF = _env_float("NIANBAO_RETRY_BACKOFF", 2.0)
NIANBAO_RETRY_AFTER_MAX = _env_float("NIANBAO_RETRY_AFTER_MAX", 120.0)
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 10
# Scrapy runs a page's outputs through this many parallel workers, created anew for every response (100 by
# default: 100 asyncio tasks per page, most of the reactor's time on a fast mirror). A page yields a few
# dozen requests or one report; 8 is plenty.
CONCURRENT_ITEMS = 8
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = os.environ.get("NIANBAO_LOG_LEVEL", "INFO")
STATS_DUMP = False
# Memory: a few large attachments in flight at once, never thousands of pages.
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
DEPTH_PRIORITY = 0

# --- components -------------------------------------------------------------------------------------------
REQUEST_FINGERPRINTER_CLASS = "crawler.dedupe.CanonicalFingerprinter"
# HTTP(S) as Scrapy does it, with a last check that the host has not blocked us (crawler/handlers.py).
DOWNLOAD_HANDLERS = {
    "http": "crawler.handlers.GatedHTTPDownloadHandler",
    "https": "crawler.handlers.GatedHTTPDownloadHandler",
}

DOWNLOADER_MIDDLEWARES = {
    # Requests to a host that answered with an anti-bot page are dropped before robots.txt or the network.
    "crawler.middlewares.antibot.BlockedHostGate": 90,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.ReportingRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.retry.BackoffRetryMiddleware": 550,
    # Sees decompressed bodies (after 590) and stops challenge pages before RetryMiddleware (550) retries.
    "crawler.middlewares.antibot.AntiBotDetector": 560,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.redirect.TrackingRedirectMiddleware": 600,
    # Conditional GETs from url_state, 304 -> the archived bytes, resumption from an interrupted run.
    "crawler.middlewares.revisit.RevisitMiddleware": 900,
    # Every exchange, as it came off the wire, into WARC + blob + fetch.
    "crawler.middlewares.archive.ArchiveMiddleware": 950,
}
SPIDER_MIDDLEWARES = {
    # A failing callback is an error of the run, not of the crawl.
    "crawler.middlewares.errors.CallbackErrorsMiddleware": 60,
    # Each page's lxml tree freed as soon as its outputs are handed on (not at the next full GC).
    "crawler.middlewares.memory.ReleaseParsedPages": 70,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ReportPipeline": 300,
}
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "crawler.progress.ProgressLine": 500,
}
