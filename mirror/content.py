"""Report content for the mirror: bodies, attachments and expected facts, from `mirror.reports`.

`mirror.reports` (the synthetic-report API, owned by the fixtures engineer) generates consistent reports and
renders them; this module picks seeds and variations per report, memoises the renders (so switching epoch or
scenario re-assembles pages without re-rendering reports) and converts DOCX/XLSX to legacy DOC/XLS with
LibreOffice when it is available (cached on disk).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from mirror.spec import ReportSpec, stable_int

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

# Variation flags rotated over synthetic reports, so the mirror holds the renderings a parser meets.
VARIATION_FLAGS = (
    "label_typos",
    "split_labels",
    "blank_zero_cells",
    "annotations",
    "yuan_amounts",
    "other_as_one_row",
    "legal_person_column",
)


def cache_dir() -> Path:
    d = os.environ.get("NIANBAO_MIRROR_CACHE")
    return Path(d) if d else Path.home() / ".cache" / "nianbao" / "mirror"


def facts_json(facts: dict[tuple[str, str, str], Any] | None) -> dict[str, Any] | None:
    """SCHEMA.md fact keys as "table|row|col" strings, so the manifest is plain JSON."""
    if facts is None:
        return None
    return {"|".join(k): v for k, v in sorted(facts.items())}


@dataclass
class ReportContent:
    """One report's content, rendered lazily and memoised."""

    spec: ReportSpec
    replaced: bool = False
    _api: Any = field(default=None, repr=False)

    @cached_property
    def seed(self) -> int:
        return stable_int("report", self.spec.id, "replaced" if self.replaced else "") % 1_000_000

    @cached_property
    def _seed_report(self) -> Any | None:
        key = self.spec.seed_key
        if key is None:
            return None
        for s in self._api.seed_reports():
            if s.key == key:
                return s
        raise KeyError(f"seed report {key} not found")

    @cached_property
    def synth(self) -> Any | None:
        if self._seed_report is not None:
            return None
        planted = None if self.replaced or self.spec.opt("correction_of") else self.spec.opt("plant_error")
        report = self._api.generate_report(
            self.seed,
            agency=self.spec.agency,
            year=self.spec.year,
            template=self.spec.opt("template"),
            variant=self.spec.opt("variant", self._default_variant()),
            plant_error=planted,
        )
        if self.replaced:
            # a silent replacement keeps the published title; only the content changes
            original = ReportContent(self.spec, False, self._api).synth
            report.title, report.title_lines = original.title, original.title_lines
        return report

    def _default_variant(self) -> str | None:
        # Ningxia's pre-2019 统计表 differs from Beijing's (templates.md §4.6)
        if self.spec.year <= 2018 and not self.spec.opt("template"):
            return "ningxia" if self.spec.agency.startswith(("金凤", "银川")) else "beijing"
        return None

    @cached_property
    def variation(self) -> Any:
        flags = {}
        if self.synth is not None and not self.spec.opt("scale"):
            h = stable_int("variation", self.spec.id)
            # about one report in three gets one or two of the real-world quirks
            if h % 3 == 0:
                flags[VARIATION_FLAGS[(h // 3) % len(VARIATION_FLAGS)]] = True
            if h % 7 == 0:
                flags[VARIATION_FLAGS[(h // 7) % len(VARIATION_FLAGS)]] = True
        return self._api.Variation(**flags)

    @property
    def variation_flags(self) -> list[str]:
        return sorted(k for k in VARIATION_FLAGS if getattr(self.variation, k, False))

    @cached_property
    def title(self) -> str:
        if self._seed_report is not None:
            return self._seed_report.title
        title = self.synth.title
        if self.spec.opt("correction_of"):
            title += "（更正）"
        return title

    @property
    def template(self) -> str:
        src = self._seed_report or self.synth
        return src.template

    @property
    def plant_error(self) -> str | None:
        if self.synth is None or self.replaced or self.spec.opt("correction_of"):
            return None
        return self.spec.opt("plant_error")

    @cached_property
    def html(self) -> str:
        """The report body as an HTML fragment (no site chrome)."""
        return self._api.render_html(self.document, self.variation)

    @cached_property
    def summary_html(self) -> str:
        """The HTML part of an 'HTML summary + PDF full text' report: the introduction and 一、总体情况."""
        if self.synth is None:
            return self.html.split("<table", 1)[0]
        parts = []
        for number, heading, text in self.synth.sections[:2]:
            head = f"{number}、{heading}" if number else heading
            parts.append(f"<p><strong>{head}</strong></p>")
            parts.extend(f"<p>{para}</p>" for para in text.split("\n") if para.strip())
        parts.append("<p>报告全文及统计表见附件。</p>")
        return "\n".join(parts)

    @cached_property
    def facts(self) -> dict[str, Any] | None:
        return facts_json(self.synth.facts) if self.synth is not None else None

    def expected(self, rendering: str) -> dict[str, Any] | None:
        if self.synth is None:
            return None
        if rendering in ("xlsx", "xls"):
            return facts_json(self.synth.expected_facts(self._api.Variation()))
        if rendering == "summary":
            return {}
        return facts_json(self.synth.expected_facts(self.variation))

    # -- attachments -----------------------------------------------------------------------------
    @property
    def document(self) -> Any:
        return self._seed_report if self._seed_report is not None else self.synth

    def pdf(self) -> bytes:
        return _disk_cached("pdf", self, lambda: self._api.render_pdf(self.document, self.variation))

    def docx(self) -> bytes:
        return _disk_cached("docx", self, lambda: self._api.render_docx(self.document, self.variation))

    def xlsx(self) -> bytes:
        return _disk_cached("xlsx", self, lambda: self._api.render_xlsx(self.document))

    def doc(self) -> bytes:
        return _disk_cached("doc", self, lambda: _legacy(self.docx(), "docx", "doc"))

    def xls(self) -> bytes:
        return _disk_cached("xls", self, lambda: _legacy(self.xlsx(), "xlsx", "xls"))


def _api_version() -> str:
    """A fingerprint of mirror/reports' sources, so disk-cached renders follow changes to the generator."""
    root = Path(__file__).with_name("reports")
    h = hashlib.sha1()
    for p in sorted(root.rglob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


_API_VERSION: str | None = None


def _disk_cached(kind: str, rc: ReportContent, make: Any) -> bytes:
    global _API_VERSION
    if _API_VERSION is None:
        _API_VERSION = _api_version()
    key = hashlib.sha1(
        f"{_API_VERSION}|{kind}|{rc.spec.id}|{rc.seed}|{rc.spec.agency}|{rc.spec.year}|{rc.variation_flags}|"
        f"{rc.plant_error}".encode()
    ).hexdigest()
    path = cache_dir() / "renders" / f"{key}.{kind}"
    if path.exists():
        return path.read_bytes()
    data = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return data


def _legacy(data: bytes, src_ext: str, dst_ext: str) -> bytes:
    """DOC/XLS converted by LibreOffice; without it, a small file with the OLE magic (sites.md §7.5)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / f"in.{src_ext}"
            src.write_bytes(data)
            filt = "MS Word 97" if dst_ext == "doc" else "MS Excel 97"
            try:
                subprocess.run(
                    [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                     f"{dst_ext}:{filt}", "--outdir", tmp, str(src)],
                    check=True, capture_output=True, timeout=120,
                )  # fmt: skip
                out = Path(tmp) / f"in.{dst_ext}"
                if out.exists() and out.read_bytes()[:8] == OLE_MAGIC:
                    return out.read_bytes()
            except (subprocess.SubprocessError, OSError):
                pass
    return OLE_MAGIC + b"\x00" * 504 + hashlib.sha256(data).digest()


class ContentSource:
    """Memoises `ReportContent` per (report, replaced) across builds of the same process."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, bool, int], ReportContent] = {}
        from mirror import reports as api  # the fixtures engineer's package

        self.api = api

    def get(self, spec: ReportSpec, replaced: bool = False) -> ReportContent:
        key = (spec.id, replaced, id(spec))
        rc = self._memo.get(key)
        if rc is None:
            rc = self._memo[key] = ReportContent(spec, replaced, self.api)
        return rc
