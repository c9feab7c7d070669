"""What happened in one crawl run: counters, blocked hosts, errors. Shared by every spider of the run.

The middlewares and the pipeline write here; the runner turns it into the one-screen summary, the JSON run
report and the exit code:

- 0: the crawl went through;
- 1: errors (a fetch that failed after its retries, a redirect loop, a callback or pipeline exception, a
  report that could not be parsed or stored);
- 2: no errors, but at least one host answered with an anti-bot defence and was skipped.

Broken links (404/410) are counted and listed, but they are the sites' state, not a failure of the crawl;
robots.txt refusals are listed too, and are not errors either. Hosts whose list or report pages failed
(5xx, timeouts) are listed as `incomplete`: what they did not show is not counted missing.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_ERRORS, EXIT_BLOCKED = 0, 1, 2
# A name that does not resolve is our network's failure, not the site blocking us (crawler/handlers.py).
UNREACHABLE_KINDS = ("dns_failure",)
MAX_LISTED = 200  # errors/broken links kept in the report; the counters keep the totals


@dataclass(slots=True)
class BlockedHost:
    host: str
    kind: str
    status: int | None
    url: str
    signature: str
    at: str
    skipped_requests: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "kind": self.kind,
            "status": self.status,
            "url": self.url,
            "signature": self.signature,
            "at": self.at,
            "skipped_requests": self.skipped_requests,
        }


@dataclass(slots=True)
class RunState:
    run_id: int | None = None
    sources: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float | None = None
    resumed_from: int | None = None
    counts: Counter[str] = field(default_factory=Counter)
    blocked: dict[str, BlockedHost] = field(default_factory=dict)
    robots_disallowed: dict[str, str] = field(default_factory=dict)  # host -> first refused URL
    errors: list[dict[str, Any]] = field(default_factory=list)
    broken_links: list[dict[str, Any]] = field(default_factory=list)
    mime_mismatches: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)  # new / changed / corrected / gone
    hosts_incomplete: set[str] = field(default_factory=set)  # hosts whose crawl did not finish cleanly
    # host -> pages that got no usable answer (5xx, timeout, connection error) after their retries:
    # {"lists_failed", "pages_failed", "url", "error"} (the first failure). See `page_failed`.
    failed: dict[str, dict[str, Any]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # busy seconds of the archive and parse pools

    # --- recording -------------------------------------------------------------------------------------
    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def block(self, host: str, kind: str, status: int | None, url: str, signature: str) -> bool:
        """Record a blocked host; True the first time (so exactly one `blocked` event is written per host)."""
        self.hosts_incomplete.add(host)
        if host in self.blocked:
            return False
        self.blocked[host] = BlockedHost(host, kind, status, url, signature, _now())
        return True

    def is_blocked(self, host: str) -> bool:
        return host in self.blocked

    def error(self, kind: str, url: str | None, message: str, **detail: Any) -> None:
        self.counts["errors"] += 1
        self.counts[f"errors/{kind}"] += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append({"kind": kind, "url": url, "message": message, "at": _now(), **detail})

    def page_failed(self, host: str, url: str, error: str, *, is_list: bool) -> None:
        """A list page or report page of `host` that failed after its retries. A failed list page makes the
        host incomplete (its reports are not counted missing in this run); a failed report page spares
        its report (crawler/runner.py, `settle_run`)."""
        entry = self.failed.setdefault(
            host, {"lists_failed": 0, "pages_failed": 0, "url": url, "error": error}
        )
        entry["lists_failed" if is_list else "pages_failed"] += 1

    def lists_failed(self, host: str) -> bool:
        return bool(self.failed.get(host, {}).get("lists_failed"))

    def broken_link(self, url: str, status: int, referer: str | None) -> None:
        self.counts["broken_links"] += 1
        if len(self.broken_links) < MAX_LISTED:
            self.broken_links.append({"url": url, "status": status, "referer": referer})

    def mime_mismatch(self, url: str, expected: str, received: str, note: str) -> None:
        self.counts["mime_mismatches"] += 1
        if len(self.mime_mismatches) < MAX_LISTED:
            self.mime_mismatches.append(
                {"url": url, "expected": expected, "received": received, "note": note}
            )

    def event(self, kind: str, **detail: Any) -> None:
        self.counts[f"events/{kind}"] += 1
        self.events.append({"kind": kind, **detail})

    # --- results ---------------------------------------------------------------------------------------
    @property
    def exit_code(self) -> int:
        if self.counts["errors"]:
            return EXIT_ERRORS
        if self.blocked:
            return EXIT_BLOCKED
        return EXIT_OK

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "sources": self.sources,
            "started": _iso(self.started),
            "finished": _iso(self.finished) if self.finished else None,
            "duration_s": round((self.finished or time.time()) - self.started, 3),
            "resumed_from": self.resumed_from,
            "exit_code": self.exit_code,
            "pages": self.counts["responses"],
            "bytes": self.counts["bytes"],
            "reports": {
                "new": self.counts["events/new"],
                "changed": self.counts["events/changed"],
                "corrected": self.counts["events/corrected"],
                "gone": self.counts["events/gone"],
                "unchanged": self.counts["reports/unchanged"],
                "seen": self.counts["reports/seen"],
            },
            "counts": dict(sorted(self.counts.items())),
            "timings": self.timings,
            "blocked": [b.to_dict() for b in self.blocked.values()],
            "robots_disallowed": [{"host": h, "url": u} for h, u in sorted(self.robots_disallowed.items())],
            "incomplete": [{"host": h, **f} for h, f in sorted(self.failed.items())],
            "errors": self.errors,
            "broken_links": self.broken_links,
            "mime_mismatches": self.mime_mismatches,
            "events": self.events,
        }

    def write_report(self, directory: Path) -> Path:
        """The JSON run report, `{directory}/run-{id}.json` (and `latest.json` pointing at the same data)."""
        directory.mkdir(parents=True, exist_ok=True)
        name = f"run-{self.run_id}.json" if self.run_id is not None else f"run-{int(self.started)}.json"
        path = directory / name
        data = json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(data, encoding="utf-8")
        tmp.replace(path)
        (directory / "latest.json.tmp").write_text(data, encoding="utf-8")
        (directory / "latest.json.tmp").replace(directory / "latest.json")
        return path

    def summary(self) -> str:
        """The one-screen summary printed at the end of `nianbao crawl`."""
        d = self.to_dict()
        r = d["reports"]
        lines = [
            f"crawl run {self.run_id} ({', '.join(self.sources)}) in {d['duration_s']:.1f}s"
            + (f", resuming run {self.resumed_from}" if self.resumed_from else ""),
            f"  pages fetched     {d['pages']:>7}   ({_size(d['bytes'])}; "
            f"{self.counts['not_modified']} not modified, {self.counts['resumed']} resumed from the archive)",
            f"  reports           {r['seen']:>7}   seen",
            f"  new               {r['new']:>7}",
            f"  changed           {r['changed']:>7}",
            f"  corrected         {r['corrected']:>7}",
            f"  gone              {r['gone']:>7}",
            f"  broken links      {self.counts['broken_links']:>7}",
            f"  errors            {self.counts['errors']:>7}",
        ]
        if self.mime_mismatches:
            lines.append(f"  MIME mismatches   {len(self.mime_mismatches):>7}")
        for b in self.blocked.values():
            if b.kind in UNREACHABLE_KINDS:
                lines.append(f"  UNREACHABLE {b.host}: {b.signature}; host skipped for this run")
            else:
                how = f"HTTP {b.status}" if b.status is not None else b.signature
                lines.append(f"  BLOCKED {b.host}: {b.kind} ({how}) at {b.url}; host skipped for this run")
        for host, f in sorted(self.failed.items()):
            failed = ", ".join(
                f"{n} {what}{'s' if n > 1 else ''}"
                for n, what in ((f["lists_failed"], "list page"), (f["pages_failed"], "report page"))
                if n
            )
            spared = "its reports" if f["lists_failed"] else "those pages' reports"
            lines.append(
                f"  INCOMPLETE {host}: {failed} failed ({f['error']} at {f['url']}); {spared} not counted missing"
            )
        for host, url in sorted(self.robots_disallowed.items()):
            lines.append(f"  robots.txt disallows {host} ({url}); not crawled")
        for e in self.errors[:8]:
            lines.append(f"  error {e['kind']}: {e.get('url') or ''} {e['message']}"[:160])
        if len(self.errors) > 8:
            lines.append(f"  … {len(self.errors) - 8} more errors in the run report")
        status = {EXIT_OK: "ok", EXIT_ERRORS: "errors", EXIT_BLOCKED: "some host blocked"}[self.exit_code]
        lines.append(f"  exit {self.exit_code} ({status})")
        return "\n".join(lines)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"
