"""The Atom feed of what changed: new, changed, corrected and gone reports (`{data}/feeds/events.atom`).

Written after every crawl from the archive's events (the latest 200), so a feed reader watching the file
(or a web server publishing it) hears about a newly published or corrected report without asking us.
Each entry names the report (agency, year, title), links its page, and for a change lists the facts that
changed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from feedgen.feed import FeedGenerator

if TYPE_CHECKING:
    from crawler.archive_ext import CrawlArchive, EventInfo

FEED_KINDS = ("new_report", "changed", "corrected", "gone", "reappeared", "superseded")
LABELS = {
    "new_report": "新发布 new",
    "changed": "有变化 changed",
    "corrected": "更正 corrected",
    "gone": "已下线 gone",
    "reappeared": "重新出现 reappeared",
    "superseded": "已被替代 superseded",
}
FEED_ID = "urn:nianbao:events"


def entry_title(event: EventInfo) -> str:
    what = (
        event.title
        or " ".join(str(x) for x in (event.agency, event.year) if x)
        or f"report {event.report_id}"
    )
    return f"[{LABELS.get(event.kind, event.kind)}] {what}"


def entry_summary(event: EventInfo) -> str:
    lines = [
        f"{event.kind} · {event.agency or '?'} · {event.year or '?'} · {event.occurred_at:%Y-%m-%d %H:%M} UTC"
    ]
    if event.url:
        lines.append(event.url)
    for change in (event.detail.get("fact_changes") or [])[:20]:
        lines.append(
            f"{change['table']}.{change['row']}.{change['col']}: {change.get('old')} → {change.get('new')}"
        )
    total = event.detail.get("fact_changes_total")
    if total and total > 20:
        lines.append(f"… {total - 20} more changed facts")
    return "\n".join(lines)


def write_feed(archive: CrawlArchive, path: Path, *, limit: int = 200) -> Path:
    events = archive.events(kinds=FEED_KINDS, limit=limit)
    fg = FeedGenerator()
    fg.id(FEED_ID)
    fg.title("nianbao: government information-disclosure annual reports, what changed")
    fg.author({"name": "nianbao"})
    fg.link(href=path.resolve().as_uri(), rel="self")
    fg.language("zh-CN")
    fg.subtitle("新发布、变更、更正与下线的政府信息公开工作年度报告")
    if events:
        fg.updated(events[-1].occurred_at)
    for event in events:
        entry = fg.add_entry(order="append")
        entry.id(f"urn:nianbao:event:{event.id}")
        entry.title(entry_title(event))
        entry.updated(event.occurred_at)
        entry.published(event.occurred_at)
        entry.summary(entry_summary(event))
        if event.url:
            entry.link(href=event.url)
        entry.category(term=event.kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fg.atom_file(str(tmp), pretty=True)
    os.replace(tmp, path)
    return path
