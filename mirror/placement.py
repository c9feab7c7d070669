"""Where and when a report is published: URLs, docids and dates of each placement (sites.md §2).

Docids are allocated once per spec, over every placement in spec order (scale and scenario reports after the
base ones), so a report keeps its URL whatever the epoch, scenario or scale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mirror.spec import Column, Placement, ReportSpec, Spec, stable_int

CST = dt.timezone(dt.timedelta(hours=8))


def parse_dt(s: str) -> dt.datetime:
    s = str(s)
    return dt.datetime.fromisoformat(s if " " in s or "T" in s else s + " 10:00")


def timestamp(d: dt.datetime) -> float:
    return d.replace(tzinfo=CST).timestamp()


def original_date(r: ReportSpec, late: bool = False) -> dt.datetime:
    """When a report was first published: March of the next year before the 2019 rules, January after;
    some Ningxia departments publish late (June)."""
    h = stable_int("orig", r.id)
    month = 6 if late else (3 if r.year <= 2018 else 1)
    day = 5 + h % 22
    return dt.datetime(r.year + 1, month, day, 9 + (h >> 8) % 8, (h >> 16) % 60)


@dataclass
class Placed:
    """One placement resolved for the whole spec (independent of epoch)."""

    report: ReportSpec
    column: Column
    p: Placement
    docid: str
    path: str  # URL path of the detail page (canonical form)
    date: dt.datetime  # the URL's publication date
    shown: dt.datetime  # the visible date
    relative_date: int | None = None  # "+N": N days after the epoch's today (scenario events)
    aliases: list[str] = field(default_factory=list)  # other paths serving the same page

    @property
    def host(self) -> str:
        return self.column.host

    def opt(self, key: str, default: Any = None) -> Any:
        return self.p.opt(key, default)

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0] + "/"


class Allocator:
    def __init__(self) -> None:
        self.next: dict[str, int] = {}
        self.used: set[tuple[str, str]] = set()

    def take(self, col: Column, key: str, explicit: Any = None) -> str:
        if explicit is not None:
            self.used.add((col.host, str(explicit)))
            return str(explicit)
        base = int(col.opt("docid_base", 600000))
        n = self.next.get(col.host + str(base), base)
        while True:
            n += 3 + stable_int(key) % 40  # gaps, as other documents take ids in between
            if (col.host, str(n)) not in self.used:
                break
        self.next[col.host + str(base)] = n
        self.used.add((col.host, str(n)))
        return str(n)


def resolve(spec: Spec) -> list[Placed]:
    alloc = Allocator()
    # explicit ids first, so automatic ones never collide with real ones
    for r in spec.reports:
        for p in r.placements:
            if p.opt("docid") is not None:
                alloc.used.add((spec.columns[p.column].host, str(p.opt("docid"))))
    out = []
    for r in spec.reports:
        late = any(p.opt("late") for p in r.placements)
        orig = original_date(r, late)
        for p in r.placements:
            col = spec.columns[p.column]
            raw_date = p.opt("date")
            rel = None
            if isinstance(raw_date, str) and raw_date.startswith("+"):
                rel, date = int(raw_date[1:]), orig
            else:
                date = parse_dt(raw_date) if raw_date else orig
            if p.opt("shown_date"):
                shown = parse_dt(p.opt("shown_date"))
            elif p.opt("shown") == "original":
                shown = orig
            else:
                shown = date
            docid = alloc.take(col, f"{r.id}|{p.column}", p.opt("docid"))
            out.append(Placed(r, col, p, docid, "", date, shown, rel))
    for pl in out:
        set_path(pl, pl.date)
    return out


def set_path(pl: Placed, date: dt.datetime) -> None:
    col, p = pl.column, pl.p
    ext = col.opt("ext", "html")
    pl.aliases = []
    if p.opt("url"):
        pl.path = p.opt("url")
    elif col.cms == "trs":
        pl.path = f"{col.path}{date:%Y%m}/t{date:%Y%m%d}_{pl.docid}.{ext}"
    elif col.cms in ("hanweb", "hanweb_jsarray"):
        pl.path = f"/art/{date.year}/{date.month}/{date.day}/art_{col.opt('colid')}_{pl.docid[-6:]}.html"
    elif col.cms == "docid":
        pl.path = f"{col.path}{pl.docid}/"
        pl.aliases = [pl.path + "index.html"]
    elif col.cms == "docid_tree":
        node = str(p.opt("node", "{yearnode}")).replace(
            "{yearnode}", str(col.opt("year_nodes")[pl.report.year])
        )
        pl.path = f"{col.path}{node}/{pl.docid}/index.html"
        pl.aliases = [pl.path[: -len("index.html")]]
    elif col.cms == "uuid_shtml":
        uid = (
            p.opt("uuid")
            or f"{stable_int('uuid', pl.report.id, col.id):016x}{stable_int('uuid2', pl.report.id):016x}"
        )
        pl.path = f"{col.path}{date:%Y%m}/{uid}.shtml"
    elif col.cms == "pathenc":
        pl.path = f"/zt/xxgkzl/gknbxq/pnidpv{p.opt('pnid')}pntypepvnbpnnfpv{pl.report.year}.html"
    else:
        raise ValueError(f"unknown cms {col.cms}")


def scheme_of(spec: Spec, col: Column) -> str:
    if col.cms == "uuid_shtml":
        return "http"  # bjft's old CMS served plain http
    return spec.hosts[col.host].get("scheme", "https")
