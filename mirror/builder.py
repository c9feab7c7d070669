"""Spec -> site + manifest. One pass writes both, so what is served and what the tests expect cannot drift.

`Builder(spec).build(epoch, scenarios)` returns a `Site` whose `manifest` describes exactly the served state
(sites.md §7.10). Report renders are memoised in the `ContentSource`, so rebuilding for another epoch or
scenario re-assembles pages only.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from typing import Any

import opencc

from mirror import pages
from mirror.build_common import (
    HTML,
    Live,
)
from mirror.build_details import DetailPages
from mirror.build_lists import ListPages
from mirror.build_manifest import ManifestWriter
from mirror.build_site import SitePages
from mirror.content import ContentSource, ReportContent
from mirror.pages import SiteMeta
from mirror.placement import resolve, scheme_of, set_path
from mirror.resource import Resource
from mirror.site import HostSite, Site
from mirror.spec import Column, ReportSpec, Spec


class Builder:
    def __init__(self, spec: Spec, content: ContentSource | None = None) -> None:
        self.spec = spec
        self.content = content or ContentSource()
        self.placed = resolve(spec)
        self._t2s = opencc.OpenCC("s2t")
        self.big5_memo: dict[str | None, bytes] = {}

    # ------------------------------------------------------------------ state
    def _cond(self, conds: list[str], epoch: int, scenarios: set[str]) -> bool:
        for c in conds:
            kind, _, val = c.partition(":")
            if (kind == "scenario" and val in scenarios) or (kind == "epoch" and int(val) == epoch):
                return True
        return False

    def build(self, epoch: int, scenarios: set[str] | frozenset[str] = frozenset()) -> Site:
        scenarios = set(scenarios)
        unknown = scenarios - set(self.spec.scenarios)
        if unknown:
            raise ValueError(f"unknown scenarios: {sorted(unknown)}")
        if epoch not in self.spec.epochs:
            raise ValueError(f"unknown epoch {epoch}; known: {sorted(self.spec.epochs)}")
        st = _State(self, epoch, scenarios)
        return st.run()


class _State(ListPages, DetailPages, SitePages, ManifestWriter):
    """One build: the live placements, the hosts being filled and the manifest being written."""

    def __init__(self, b: Builder, epoch: int, scenarios: set[str]) -> None:
        self.b, self.spec, self.epoch, self.scenarios = b, b.spec, epoch, scenarios
        self.today = dt.datetime.combine(self.spec.epochs[epoch], dt.time(23, 59))
        self.hosts: dict[str, HostSite] = {}
        self.redirects: list[dict[str, Any]] = []
        self.not_found: list[dict[str, Any]] = []
        self.columns_manifest: list[dict[str, Any]] = []
        self.units_manifest: list[dict[str, Any]] = []
        self.downfiles: dict[str, dict[str, tuple[str, Resource, str]]] = defaultdict(dict)
        self.live: dict[str, list[Live]] = defaultdict(list)  # report id -> live placements
        self.existed: set[str] = set()
        self.negatives_manifest: list[dict[str, Any]] = []
        self.extra_alt: dict[str, list[str]] = defaultdict(list)  # report id -> URLs served by dynamic routes
        self.extra_alt: dict[str, list[str]] = defaultdict(list)  # report id -> URLs served by dynamic routes

    # ------------------------------------------------------------------ helpers
    def host(self, name: str) -> HostSite:
        h = self.hosts.get(name)
        if h is None:
            cfg = self.spec.hosts[name]
            h = self.hosts[name] = HostSite(
                name=name,
                server=cfg.get("server", "nginx"),
                https_only=bool(cfg.get("https_only")),
                relative_dir_redirect=bool(cfg.get("relative_dir_redirect")),
            )
            h.not_found = Resource(pages.error_page(name).encode(), HTML, status=404, validators=False)
        return h

    def url(self, host: str, path: str, scheme: str | None = None) -> str:
        return f"{scheme or self.spec.hosts[host].get('scheme', 'https')}://{host}{path}"

    def meta(self, col: Column) -> SiteMeta:
        cfg = self.spec.hosts[col.host]
        name = cfg.get(f"site_name_{self.epoch}", cfg["site_name"])
        return SiteMeta(col.host, name, cfg.get("site_code", ""), col.name, col.path)

    def col_live(self, col: Column) -> bool:
        return self.epoch in col.epochs

    def rc(self, r: ReportSpec) -> ReportContent:
        replaced = self.b._cond(r.opt("replaced_when", []), self.epoch, self.scenarios)
        return self.b.content.get(r, replaced)

    def add_page(self, host: str, path: str, html: str, ts: float, *aliases: str, **kw: Any) -> Resource:
        res = Resource(html.encode("utf-8"), HTML, last_modified=ts, **kw)
        return self.host(host).add(path, res, *aliases)

    # ------------------------------------------------------------------ main
    def run(self) -> Site:
        self.select()
        for col in self.spec.columns.values():
            if self.col_live(col):
                self.render_column(col)
        for lives in self.live.values():
            for lv in lives:
                self.render_detail(lv)
        self.render_negatives()
        self.render_redirects()
        self.render_indexes()
        self.render_static()
        self.render_blocked()
        self.render_big5()
        manifest = self.manifest()
        return Site(self.hosts, manifest, self.epoch, tuple(sorted(self.scenarios)))

    # ------------------------------------------------------------------ selection
    def select(self) -> None:
        for pl0 in self.b.placed:
            r = pl0.report
            if r.opt("when") and not self.b._cond(r.opt("when"), self.epoch, self.scenarios):
                continue
            pl = pl0
            if pl0.relative_date is not None:
                pl = copy.copy(pl0)
                pl.date = pl.shown = self.today.replace(hour=10, minute=0) + dt.timedelta(
                    days=pl0.relative_date
                )
                set_path(pl, pl.date)
            if pl.date > self.today and pl0.relative_date is None:
                continue
            self.existed.add(r.id)
            if not self.col_live(pl.column):
                continue
            scheme = scheme_of(self.spec, pl.column)
            lv = Live(pl, self.rc(r), self.url(pl.host, pl.path, scheme))
            lv.missing = bool(pl.opt("missing"))
            lv.gone = self.b._cond(r.opt("gone_when", []), self.epoch, self.scenarios)
            lv.listed = not lv.gone and not pl.opt("commented")
            self.live[r.id].append(lv)
        # corrections (E14): v2 supersedes v1 wherever both are live on the same column
        for rid, lives in self.live.items():
            v1_id = self.spec_report(rid).opt("correction_of")
            if not v1_id:
                continue
            for v2 in lives:
                for v1 in self.live.get(v1_id, []):
                    if v1.pl.column.id == v2.pl.column.id:
                        v1.superseded_by = v2
                        if v1.pl.opt("on_superseded") == "redirect":
                            v1.listed = False

    def spec_report(self, rid: str) -> ReportSpec:
        for pl in self.b.placed:
            if pl.report.id == rid:
                return pl.report
        raise KeyError(rid)

    # ------------------------------------------------------------------ lists
