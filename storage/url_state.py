"""What we last knew of each URL (`url_state`): validators for conditional GETs, and whether its
content changed. The crawler reads it to send If-None-Match / If-Modified-Since and to resume."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Fetch, UrlState
from storage.records import UrlStateInfo


def load(s: Session, url: str) -> UrlStateInfo | None:
    row = s.scalar(select(UrlState).where(UrlState.url == url))
    if row is None:
        return None
    return UrlStateInfo(
        row.url,
        row.first_seen,
        row.last_seen,
        row.last_changed,
        row.etag,
        row.last_modified,
        row.sha256,
        row.status,
        row.fetch_id,
    )


def conditional_headers(state: UrlStateInfo | None) -> dict[str, str]:
    """Validators for a conditional GET, from the URL's last successful fetch."""
    headers: dict[str, str] = {}
    if state is None or state.sha256 is None:
        return headers
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


def update(
    s: Session,
    *,
    url: str,
    source_id: int | None,
    fetch: Fetch,
    when: datetime,
    content_seen: bool,
) -> bool:
    """Update what we know of `url`; returns True when its content changed (or is new)."""
    state = s.scalar(select(UrlState).where(UrlState.url == url))
    if state is None:
        state = UrlState(url=url, source_id=source_id, first_seen=when)
        s.add(state)
    state.last_seen = when
    state.status = fetch.status
    changed = False
    if content_seen and fetch.sha256 is not None:
        changed = state.sha256 != fetch.sha256
        if changed:
            state.last_changed = when
        state.sha256 = fetch.sha256
        state.etag = fetch.etag
        state.last_modified = fetch.last_modified
        state.fetch_id = fetch.id
    return changed
