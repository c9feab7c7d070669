"""The ground-truth manifest (sites.md §7.10), written from the same build state as the pages."""

from __future__ import annotations

from typing import Any

from mirror.build_common import (
    encoding_name,
    sha256_hex,
)
from mirror.placement import scheme_of
from mirror.spec import stable_int


class ManifestWriter:
    """Mixed into the builder's per-build state (`mirror.builder._State`)."""

    def manifest(self) -> dict[str, Any]:
        reports = []
        for r in {pl.report.id: pl.report for pl in self.b.placed}.values():
            if r.id not in self.existed:
                continue
            lives = self.live.get(r.id, [])
            rc = self.rc(r)
            canon = self.canonical(r.id)
            present = [lv for lv in lives if not lv.missing and not lv.gone and not lv.pl.opt("cross_host")]
            status = "current" if present else "gone"
            if canon is not None and canon.superseded_by is not None:
                status = "superseded"
            edge = set(r.edge)
            for lv in lives:
                edge |= set(lv.pl.opt("edge", []))
                if lv.attachments and any(a["anomaly"] for a in lv.attachments):
                    edge.add("E23")
            if canon is None:  # only on columns of another epoch: the legacy URL is what crawlers knew
                old = next(pl for pl in self.b.placed if pl.report.id == r.id)
                canon_url = self.url(old.host, old.path, scheme_of(self.spec, old.column))
                visible = old.shown
            else:
                canon_url, visible = canon.url, canon.pl.shown
            alt = []
            for lv in lives:
                if lv is not canon and not lv.pl.opt("cross_host"):
                    alt.append(lv.url)
                if lv.pl.host == "www.beijing.gov.cn" and not lv.pl.opt("cross_host") and not lv.missing:
                    alt.append(
                        lv.url.replace(
                            "www.beijing.gov.cn/", "www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/"
                        )
                    )
                    edge.add("E9")
                if lv.pl.column.opt("wap_twins") and not lv.missing:
                    alt.append(lv.url.replace(".html", "_wap.html"))
                    edge.add("E10")
            alt += self.extra_alt.get(r.id, [])
            alt += [
                rd["from"]
                for rd in self.redirects
                if rd["to"] in [lv.url for lv in lives] and rd["edge"] != "E14"
            ]
            shape = r.opt("shape", "html")
            body_sha = (
                sha256_hex(canon.body_fragment.encode("utf-8"))
                if canon is not None and canon.body_fragment
                else None
            )
            if (
                canon is not None
                and not canon.pl.opt("missing")
                and canon.pl.column.cms != "hanweb"
                and stable_int("pubdate", canon.url) % 10 == 0
            ):
                edge.add("E18")
            orig = min(lv.pl.shown for lv in lives) if lives else None
            entry = {
                "id": r.id,
                "agency": r.agency,
                "report_year": r.year,
                "title": rc.title,
                "host": canon.pl.host if canon else None,
                "canonical_url": canon_url,
                "alt_urls": sorted(set(alt) - {canon_url}),
                "pages": canon.pages if canon else [],
                "visible_date": visible.strftime("%Y-%m-%d"),
                "url_date": canon.pl.date.strftime("%Y-%m-%d") if canon else None,
                "original_pub_date": orig.strftime("%Y-%m-%d")
                if orig and orig.date() != visible.date()
                else None,
                "format": shape,
                "attachments": canon.attachments if canon else [],
                "body_sha256": body_sha,
                "status": status,
                "supersedes": r.opt("correction_of"),
                "superseded_by": canon.superseded_by.pl.report.id if canon and canon.superseded_by else None,
                "encoding": encoding_name(canon.pl.opt("encoding")) if canon else "utf-8",
                "cms": canon.pl.column.cms if canon else "hanweb",
                "edge_cases": sorted(edge),
                "discoverable": bool(canon and canon.listed and not canon.pl.opt("commented")),
                "template": rc.template,
                "seed_report": r.seed_key,
                "synthetic_seed": rc.seed if rc.synth is not None else None,
                "variation": rc.variation_flags,
                "plant_error": rc.plant_error,
                "replaced": rc.replaced,
                "facts": rc.facts,
                "expected_facts": {"html": rc.expected("summary" if shape == "html+pdf" else "html")}
                if shape != "attachment_only"
                else {},
            }
            reports.append(entry)
        robots = {h: c.get("robots_policy", "allow_all") for h, c in self.spec.hosts.items()}
        return {
            "epoch": self.epoch,
            "today": self.spec.epochs[self.epoch].isoformat(),
            "scenarios": sorted(self.scenarios),
            "hosts": sorted(self.spec.hosts),
            "reports": reports,
            "negatives": self.negatives_manifest,
            "columns": self.columns_manifest,
            "hanweb_units": self.units_manifest,
            "redirects": self.redirects,
            "not_found": self.not_found,
            "blocked": [
                {"host": "blocked.mirror.test", "path": f"/{k}/", "kind": k}
                for k in self.spec.raw.get("blocked_paths", [])
            ],
            "robots": robots,
        }
