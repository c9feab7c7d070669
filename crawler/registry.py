"""The site registry: which sites we watch, for which agency, and which spider reads them.

The registry is data (`crawler/sites.yaml`, or the file named by `NIANBAO_SITES`). Adding a site of a known
CMS family is one entry; an entry whose family is not one we have a spider for is read by the generic
discovery spider, which looks for the 年报 column from the start URLs.

An entry:

```yaml
- name: bjhr                         # unique, used by `nianbao crawl --source NAME`
  agency: 北京市怀柔区人民政府          # the default agency when a page does not name one
  family: trs                        # hanweb | trs | docid | pathenc | beijing | anything else -> discovery
  start_urls:                        # list pages (or a home page, for discovery)
    - https://www.bjhr.gov.cn/zfxxgkzl/gknb/
    - {url: https://…/col/col10126/index.html, family: hanweb, optional: true}
  allowed_domains: [www.bjhr.gov.cn] # default: the hosts of the start URLs
  scope: [/zfxxgkzl/gknb/]           # path prefixes list pages must stay under (default: the start URLs' folders)
  delay: 2.0                         # per-site politeness (seconds between requests to its hosts), optional
  concurrency: 1                     # per-host concurrent requests, at most 2, optional
  enabled: true
```
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from crawler.urls import canonicalize

DEFAULT_REGISTRY = Path(__file__).with_name("sites.yaml")
KNOWN_FAMILIES = ("hanweb", "trs", "docid", "pathenc", "beijing")
DISCOVERY = "discovery"
MAX_CONCURRENCY = 2


class RegistryError(ValueError):
    """The registry file is malformed; the message names the entry and the field."""


@dataclass(frozen=True, slots=True)
class StartUrl:
    url: str
    family: str
    optional: bool = False  # a 404 here is expected (e.g. a legacy CMS path after a migration)


@dataclass(frozen=True, slots=True)
class Site:
    name: str
    agency: str | None
    family: str
    start_urls: tuple[StartUrl, ...]
    allowed_domains: tuple[str, ...]
    scope: tuple[str, ...]
    delay: float | None = None
    concurrency: int | None = None
    enabled: bool = True
    notes: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def spider_family(self) -> str:
        """The spider that reads this site: its family's, or discovery's for an unknown family."""
        return self.family if self.family in KNOWN_FAMILIES else DISCOVERY

    @property
    def hosts(self) -> tuple[str, ...]:
        return self.allowed_domains

    def allows_host(self, host: str) -> bool:
        host = host.lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def in_scope(self, url: str) -> bool:
        """A list page worth following: on an allowed host and under one of the scope prefixes."""
        parts = urlsplit(url)
        if not self.allows_host(parts.hostname or ""):
            return False
        if not self.scope:
            return True
        return any(parts.path.startswith(prefix) for prefix in self.scope)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "agency": self.agency,
            "family": self.family,
            "spider": self.spider_family,
            "start_urls": [
                {"url": s.url, "family": s.family, "optional": s.optional} for s in self.start_urls
            ],
            "allowed_domains": list(self.allowed_domains),
            "scope": list(self.scope),
            "delay": self.delay,
            "concurrency": self.concurrency,
            "enabled": self.enabled,
        }


def registry_path(env: dict[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("NIANBAO_SITES") or DEFAULT_REGISTRY)


def load_sites(path: Path | str | None = None) -> list[Site]:
    """All entries of the registry, in file order. Raises RegistryError on a malformed entry."""
    path = Path(path) if path else registry_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegistryError(f"cannot read the site registry {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise RegistryError(f"the site registry {path} is not valid YAML: {exc}") from exc
    entries = data.get("sites") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise RegistryError(f"{path}: expected a list of sites under `sites:`")
    sites = [parse_site(entry, where=f"{path}: entry {i + 1}") for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for site in sites:
        if site.name in seen:
            raise RegistryError(f"{path}: the site name {site.name!r} is used twice")
        seen.add(site.name)
    return sites


def select_sites(
    sites: Iterable[Site], names: Iterable[str] = (), *, include_disabled: bool = False
) -> list[Site]:
    """The sites named (all enabled ones when no name is given). Unknown names raise RegistryError."""
    sites = list(sites)
    names = list(names)
    if not names:
        return [s for s in sites if s.enabled or include_disabled]
    by_name = {s.name: s for s in sites}
    missing = [n for n in names if n not in by_name]
    if missing:
        known = ", ".join(sorted(by_name))
        raise RegistryError(f"unknown source {', '.join(missing)} (known: {known})")
    return [by_name[n] for n in names]


def parse_site(entry: Any, *, where: str = "entry") -> Site:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a mapping")
    name = _required_str(entry, "name", where)
    where = f"{where} ({name})"
    family = str(entry.get("family") or DISCOVERY).strip().lower()
    raw_starts = entry.get("start_urls")
    if not raw_starts or not isinstance(raw_starts, list):
        raise RegistryError(f"{where}: start_urls must be a non-empty list")
    starts: list[StartUrl] = []
    for item in raw_starts:
        if isinstance(item, str):
            starts.append(StartUrl(_check_url(item, where), family))
        elif isinstance(item, dict) and "url" in item:
            starts.append(
                StartUrl(
                    _check_url(str(item["url"]), where),
                    str(item.get("family") or family).lower(),
                    bool(item.get("optional", False)),
                )
            )
        else:
            raise RegistryError(f"{where}: a start URL must be a string or {{url: …}}")
    domains = entry.get("allowed_domains") or sorted({urlsplit(s.url).hostname or "" for s in starts})
    scope = entry.get("scope")
    if scope is None:
        scope = sorted({_folder(urlsplit(s.url).path) for s in starts})
    concurrency = entry.get("concurrency")
    if concurrency is not None and not 1 <= int(concurrency) <= MAX_CONCURRENCY:
        raise RegistryError(f"{where}: concurrency must be 1 or 2 (we stay polite)")
    delay = entry.get("delay")
    if delay is not None and float(delay) < 0:
        raise RegistryError(f"{where}: delay must not be negative")
    known = {
        "name",
        "agency",
        "family",
        "start_urls",
        "allowed_domains",
        "scope",
        "delay",
        "concurrency",
        "enabled",
        "notes",
    }
    return Site(
        name=name,
        agency=entry.get("agency"),
        family=family,
        start_urls=tuple(starts),
        allowed_domains=tuple(str(d).lower() for d in domains),
        scope=tuple(str(p) for p in scope),
        delay=float(delay) if delay is not None else None,
        concurrency=int(concurrency) if concurrency is not None else None,
        enabled=bool(entry.get("enabled", True)),
        notes=entry.get("notes"),
        extra={k: v for k, v in entry.items() if k not in known},
    )


def _required_str(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{where}: `{key}` is required")
    return value.strip()


def _check_url(url: str, where: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistryError(f"{where}: {url!r} is not an http(s) URL")
    return canonicalize(url)


def _folder(path: str) -> str:
    """The folder a start page lives in: `/a/b/index.html` -> `/a/b/`, `/a/b/` -> `/a/b/`."""
    if path.endswith("/"):
        return path
    folder = posixpath.dirname(path)
    return folder if folder.endswith("/") else folder + "/"
