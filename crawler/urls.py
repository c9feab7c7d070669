"""Canonical URLs: one name for each document, whatever link led to it.

Government sites publish one document under many URLs (sites.md §0.3): http and https, `:80`, tracking
queries, `#` fragments, the big5 gateway (`/gate/big5/{host}/…`), `_wap.html` mobile twins and Hanweb's
`index.html?uid=…&pageNum=N` shells. Two functions:

- `canonicalize(url)` is the URL we request and store: the same resource, with the noise removed. It keeps
  the scheme (a site may serve only http) and the path's case (servers are case-sensitive, E11).
- `url_key(url)` is the identity used for de-duplication: also scheme-less, `…/index.html` equal to `…/`,
  and the query sorted. Two URLs with one key are one document.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

# Query keys that never select content: analytics, share widgets, cache busters, and the `from=xxgk`
# navigation tag TRS sites append (E8).
TRACKING_KEYS = frozenset(
    {
        "from",
        "spm",
        "share",
        "wfr",
        "isappinstalled",
        "tdsourcetag",
        "_",
        "sessionid",
        "jsessionid",
        "phpsessid",
    }
)
TRACKING_PREFIXES = ("utm_",)

# Hanweb column shells: `?uid=…&pageNum=N` all return the same HTML (sites.md §3.1 pitfalls).
HANWEB_COLUMN = re.compile(r"^/col/col\d+/(?:index\.html)?$")
HANWEB_SHELL_KEYS = frozenset({"uid", "pagenum"})

BIG5_GATEWAY = re.compile(r"^/gate/big5/([A-Za-z0-9.-]+(?::\d+)?)(/.*)?$")
WAP_TWIN = re.compile(r"_wap(\.s?html?)$")
DEFAULT_PORTS = {"http": 80, "https": 443}
INDEX_PAGE = re.compile(r"/index\.(?:s?html?|jsp)$")
# The path-parameter `;jsessionid=…` some Java CMSs put into links.
PATH_SESSION = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)


# A page's URL is canonicalised again at every step (dedupe, scope, routing, the archive's record): a few
# dozen times per page. The functions below are pure, so their answers are kept for recent URLs.
_CACHE_SIZE = 16384


@functools.lru_cache(maxsize=_CACHE_SIZE)
def canonicalize(url: str, base: str | None = None) -> str:
    """The canonical form of `url` (resolved against `base` first, if given)."""
    if base:
        url = urljoin(base, url.strip())
    url = safe_url_string(url.strip())
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    path = parts.path or "/"
    query = parts.query

    gateway = BIG5_GATEWAY.match(path)
    if gateway:
        # The big5 gateway proxies another page of the same platform, converted to traditional script.
        target_host, target_path = gateway.groups()
        target = urlsplit(f"{scheme}://{target_host}")
        host, port = (target.hostname or host).lower(), target.port
        path = target_path or "/"

    path = PATH_SESSION.sub("", path)
    path = WAP_TWIN.sub(r"\1", path)
    path = _normalize_path(path)

    netloc = host
    if port is not None and DEFAULT_PORTS.get(scheme) != port:
        netloc = f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"

    query = _clean_query(query, hanweb_column=bool(HANWEB_COLUMN.match(path)))
    return urlunsplit((scheme, netloc, path, query, ""))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def url_key(url: str) -> str:
    """Identity of the document at `url`: scheme-less, `index.html` folded into its folder, query sorted."""
    parts = urlsplit(canonicalize(url))
    path = INDEX_PAGE.sub("/", parts.path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"//{parts.netloc}{path}" + (f"?{query}" if query else "")


@functools.lru_cache(maxsize=_CACHE_SIZE)
def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _normalize_path(path: str) -> str:
    # Resolve `.`/`..` segments the way browsers do; keep percent-encoding canonical (upper-case hex) but
    # never change the case of the path itself.
    segments: list[str] = []
    for seg in path.split("/")[1:]:
        if seg == ".":
            continue
        if seg == "..":
            if segments:
                segments.pop()
            continue
        segments.append(seg)
    if path.endswith(("/.", "/..")):
        segments.append("")
    normalized = "/" + "/".join(segments)
    return quote(unquote(normalized), safe="/%:@!$&'()*+,;=~-._")


def _clean_query(query: str, *, hanweb_column: bool) -> str:
    if not query:
        return ""
    kept = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        lower = key.lower()
        if lower in TRACKING_KEYS or lower.startswith(TRACKING_PREFIXES):
            continue
        if hanweb_column and lower in HANWEB_SHELL_KEYS:
            continue
        kept.append((key, value))
    return urlencode(kept, quote_via=quote, safe="/:@!$'()*,;~-._")
