"""The parsed report document of docs/SCHEMA.md, as typed objects.

`Document.to_dict()` gives exactly the JSON of the schema (validated against
`parsers/data/report.schema.json` in the tests). Keys are a public contract: add, never rename.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

Number = int | float


@dataclass(slots=True)
class Source:
    sha256: str
    uri: str | None = None
    media_type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"uri": self.uri, "sha256": self.sha256, "media_type": self.media_type}


@dataclass(slots=True)
class Section:
    heading: str
    text: str
    number: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "heading": self.heading, "text": self.text}


@dataclass(slots=True)
class Fact:
    """One printed cell. `value` is None for a blank, `/`, `—` or `-` cell; `raw` keeps what was printed."""

    table: str
    row: str
    col: str
    value: Number | None
    raw: str | None = None
    label: str | None = None
    unit: str | None = None
    page: int | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.row, self.col)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "table": self.table,
            "row": self.row,
            "col": self.col,
            "value": self.value,
            "raw": self.raw,
            "label": self.label,
            "page": self.page,
        }
        if self.unit is not None:
            d["unit"] = self.unit
        return d


@dataclass(slots=True)
class Check:
    """The outcome of one consistency rule at one place (`where`), on the values as printed."""

    rule: str
    ok: bool
    where: str | None = None
    expected: Number | None = None
    actual: Number | None = None
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "rule": self.rule,
            "where": self.where,
            "ok": self.ok,
            "expected": self.expected,
            "actual": self.actual,
        }
        if self.message is not None:
            d["message"] = self.message
        return d


@dataclass(slots=True)
class Document:
    parser_version: str
    source: Source
    agency: str | None = None
    year: int | None = None
    title: str | None = None
    template: str | None = None
    sections: list[Section] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def fact(self, table: str, row: str, col: str) -> Fact | None:
        for f in self.facts:
            if f.table == table and f.row == row and f.col == col:
                return f
        return None

    def values(self) -> dict[tuple[str, str, str], Number | None]:
        """The facts as a {(table, row, col): value} mapping, for comparisons."""
        return {f.key: f.value for f in self.facts}

    def to_dict(self) -> dict[str, Any]:
        return {
            "parser_version": self.parser_version,
            "source": self.source.to_dict(),
            "agency": self.agency,
            "year": self.year,
            "title": self.title,
            "template": self.template,
            "sections": [s.to_dict() for s in self.sections],
            "facts": [f.to_dict() for f in self.facts],
            "checks": [c.to_dict() for c in self.checks],
            "warnings": list(self.warnings),
        }

    def to_json(self, **kwargs: Any) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        src = d.get("source") or {}
        return cls(
            parser_version=d["parser_version"],
            source=Source(sha256=src["sha256"], uri=src.get("uri"), media_type=src.get("media_type")),
            agency=d.get("agency"),
            year=d.get("year"),
            title=d.get("title"),
            template=d.get("template"),
            sections=[
                Section(heading=s["heading"], text=s["text"], number=s.get("number")) for s in d["sections"]
            ],
            facts=[
                Fact(
                    table=f["table"],
                    row=f["row"],
                    col=f["col"],
                    value=f["value"],
                    raw=f.get("raw"),
                    label=f.get("label"),
                    unit=f.get("unit"),
                    page=f.get("page"),
                )
                for f in d["facts"]
            ],
            checks=[
                Check(
                    rule=c["rule"],
                    ok=c["ok"],
                    where=c.get("where"),
                    expected=c.get("expected"),
                    actual=c.get("actual"),
                    message=c.get("message"),
                )
                for c in d["checks"]
            ],
            warnings=list(d.get("warnings") or []),
        )
