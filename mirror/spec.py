"""Load `spec.yaml` and expand it into typed columns, reports and placements.

Expansion rules (documented at the top of spec.yaml): `{year}` ids with `years:` make one entry per year;
an entry whose id was already seen overrides the earlier entry's fields; placements in `at:` are a column id
or a mapping with per-placement keys.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SPEC_PATH = Path(__file__).with_name("spec.yaml")


def stable_int(*parts: object) -> int:
    """A deterministic integer from any parts (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest(), "big")


def parse_years(v: Any) -> list[int]:
    if isinstance(v, list):
        return [int(x) for x in v]
    if isinstance(v, int):
        return [v]
    a, _, b = str(v).partition("-")
    return list(range(int(a), int(b or a) + 1))


def _fill(obj: Any, subs: dict[str, str]) -> Any:
    if isinstance(obj, str):
        for k, v in subs.items():
            obj = obj.replace("{" + k + "}", v)
        return obj
    if isinstance(obj, list):
        return [_fill(x, subs) for x in obj]
    if isinstance(obj, dict):
        return {k: _fill(v, subs) for k, v in obj.items()}
    return obj


@dataclass
class Column:
    id: str
    host: str
    cms: str
    path: str
    name: str
    epochs: tuple[int, ...] = (2023, 2025)
    year: int | None = None
    opts: dict[str, Any] = field(default_factory=dict)

    def opt(self, key: str, default: Any = None) -> Any:
        return self.opts.get(key, default)


@dataclass
class Placement:
    column: str
    opts: dict[str, Any] = field(default_factory=dict)

    def opt(self, key: str, default: Any = None) -> Any:
        return self.opts.get(key, default)


@dataclass
class ReportSpec:
    id: str
    agency_key: str
    agency: str
    year: int
    source: str
    placements: list[Placement]
    opts: dict[str, Any] = field(default_factory=dict)

    def opt(self, key: str, default: Any = None) -> Any:
        return self.opts.get(key, default)

    @property
    def seed_key(self) -> str | None:
        return self.opts.get("seed")

    @property
    def edge(self) -> list[str]:
        return list(self.opts.get("edge", []))


@dataclass
class Negative:
    column: str
    title: str
    date: str
    opts: dict[str, Any] = field(default_factory=dict)


@dataclass
class Spec:
    raw: dict[str, Any]
    hosts: dict[str, dict[str, Any]]
    agencies: dict[str, str]
    columns: dict[str, Column]
    reports: list[ReportSpec]
    negatives: list[Negative]
    epochs: dict[int, dt.date]
    default_epoch: int
    scenarios: dict[str, str]


def load_spec(path: Path | None = None, *, scale: int = 0) -> Spec:
    raw = yaml.safe_load((path or SPEC_PATH).read_text(encoding="utf-8"))
    epochs = {int(k): dt.date.fromisoformat(v["today"]) for k, v in raw["epochs"].items()}
    agencies = dict(raw["agencies"])
    columns = _columns(raw["columns"])
    entries = list(raw["reports"])
    if scale > 0:
        entries += _scale_entries(raw["scale"], scale, agencies)
    reports = _reports(entries, agencies)
    negatives = [
        Negative(
            n["column"],
            n["title"],
            n["date"],
            {k: v for k, v in n.items() if k not in ("column", "title", "date")},
        )
        for n in raw.get("negatives", [])
    ]
    for r in reports:
        for p in r.placements:
            if p.column not in columns:
                raise ValueError(f"report {r.id}: unknown column {p.column!r}")
    return Spec(
        raw=raw,
        hosts=raw["hosts"],
        agencies=agencies,
        columns=columns,
        reports=reports,
        negatives=negatives,
        epochs=epochs,
        default_epoch=int(raw["default_epoch"]),
        scenarios=dict(raw.get("scenarios", {})),
    )


def _columns(raw: dict[str, Any]) -> dict[str, Column]:
    out: dict[str, Column] = {}
    for cid, c in raw.items():
        years = parse_years(c["years"]) if "{year}" in cid else [None]
        for y in years:
            cc = _fill(copy.deepcopy(c), {"year": str(y)}) if y else dict(c)
            col_id = cid.replace("{year}", str(y)) if y else cid
            base = {"host", "cms", "path", "name", "epochs"}
            out[col_id] = Column(
                id=col_id,
                host=cc["host"],
                cms=cc["cms"],
                path=cc["path"],
                name=cc["name"],
                epochs=tuple(cc.get("epochs", (2023, 2025))),
                year=y,
                opts={k: v for k, v in cc.items() if k not in base},
            )
    return out


def _reports(entries: list[dict[str, Any]], agencies: dict[str, str]) -> list[ReportSpec]:
    merged: dict[str, dict[str, Any]] = {}
    for e in entries:
        if "{year}" in e["id"] and ("years" in e):
            years = parse_years(e["years"])
            keys = e["agency"] if isinstance(e.get("agency"), list) else None
            for i, y in enumerate(years):
                subs = {"year": str(y), "yy": f"{y % 100:02d}"}
                one = _fill(copy.deepcopy({k: v for k, v in e.items() if k != "years"}), subs)
                one["year"] = y
                if keys:
                    one["agency"] = keys[i % len(keys)]
                _merge(merged, one)
        else:
            _merge(merged, dict(e))
    out = []
    for rid, e in merged.items():
        if "agency" not in e or "year" not in e:
            raise ValueError(f"report {rid}: override without a base entry (needs agency and year)")
        akey = e["agency"]
        agency = agencies.get(akey, akey)
        placements = [
            Placement(p) if isinstance(p, str) else Placement(p["column"], p) for p in e.get("at", [])
        ]
        source = str(e.get("source", agency)).replace("{agency}", agency)
        opts = {k: v for k, v in e.items() if k not in ("id", "agency", "year", "at", "source")}
        out.append(ReportSpec(rid, akey, agency, int(e["year"]), source, placements, opts))
    return out


def _merge(merged: dict[str, dict[str, Any]], e: dict[str, Any]) -> None:
    rid = e["id"]
    if rid in merged:
        base = merged[rid]
        if "at" in e:
            # Overriding placements replaces only those of the same column; the others stay.
            new_cols = {(p if isinstance(p, str) else p["column"]) for p in e["at"]}
            kept = [
                p for p in base.get("at", []) if (p if isinstance(p, str) else p["column"]) not in new_cols
            ]
            order = [p if isinstance(p, str) else p["column"] for p in base.get("at", [])]
            combined = kept + list(e["at"])
            combined.sort(
                key=lambda p: (
                    order.index(c) if (c := p if isinstance(p, str) else p["column"]) in order else 99
                )
            )
            e = {**e, "at": combined}
        if "edge" in e and "edge" in base:
            e = {**e, "edge": sorted(set(base["edge"]) | set(e["edge"]))}
        merged[rid] = {**base, **e}
    else:
        merged[rid] = e


def _scale_entries(cfg: dict[str, Any], n: int, agencies: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for y in parse_years(cfg["years"]):
        for i in range(1, n + 1):
            key = f"scale{i:04d}"
            agencies.setdefault(key, cfg["agency_pattern"].format(n=i))
            out.append(
                {
                    "id": f"scale-{i:04d}-{y}",
                    "agency": key,
                    "year": y,
                    "source": agencies[key],
                    "scale": True,
                    "at": [{"column": cfg["column"].format(year=y), "shown": "original"}],
                }
            )
    return out
