"""Matching printed labels to catalog rows: exact normalised text, then one-character typos, then close
spellings inside a known group.

A catalog entry lists the label forms of one row (aliases) and the scope it belongs to (a group such as
（三）不予公开, or a block of the T2008 统计表). Ambiguity is resolved by scope, never by position; if a
label still fits two rows, it fits none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from parsers.normalize import edit_distance, label_key


@dataclass(frozen=True, slots=True)
class Entry:
    key: str | None  # schema row key; None for a heading row that has no key of its own
    aliases: tuple[str, ...]
    scope: str | None = None  # group or block the row belongs to
    number: str | None = None  # printed item number within its group ('1'…'8'), to confirm fuzzy matches
    opens: str | None = None  # the scope this row opens for the rows under it


@dataclass(frozen=True, slots=True)
class Match:
    entry: Entry
    how: str  # exact | typo | fuzzy


@dataclass(slots=True)
class Catalog:
    entries: list[Entry]
    _index: dict[str, list[Entry]] = field(default_factory=dict)
    _near_cache: dict[str, list[Entry]] = field(default_factory=dict)
    _memo: dict[tuple, Match | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entry in self.entries:
            for alias in entry.aliases:
                self._index.setdefault(label_key(alias), []).append(entry)

    def keys(self) -> Iterable[str]:
        return self._index.keys()

    def has_exact(self, label: str) -> bool:
        """True when the label's normalised text is exactly one of the aliases."""
        return label_key(label) in self._index

    def match(
        self,
        label: str,
        *,
        scope: str | None = None,
        number: str | None = None,
        fuzzy: bool = False,
        scopes: Iterable[str | None] | None = None,
    ) -> Match | None:
        """The entry a printed label names. `scope` prefers entries of that scope when several fit;
        `scopes` (if given) restricts the candidates to those scopes."""
        memo_key = (label, scope, number, fuzzy, tuple(scopes) if scopes is not None else None)
        try:
            return self._memo[memo_key]
        except KeyError:
            pass
        found = self._match(label, scope, number, fuzzy, scopes)
        if len(self._memo) < 50_000:  # the same labels recur in every report; bounded all the same
            self._memo[memo_key] = found
        return found

    def _match(self, label, scope, number, fuzzy, scopes) -> Match | None:
        k = label_key(label)
        if not k:
            return None
        allowed = set(scopes) if scopes is not None else None
        found = self._pick(self._index.get(k, []), scope, allowed)
        if found is not None:
            return Match(found, "exact")
        if len(k) >= 4:
            found = self._pick(self._near(k), scope, allowed)
            if found is not None:
                return Match(found, "typo")
        if fuzzy and len(k) >= 4:
            return self._fuzzy(k, scope, number, allowed)
        return None

    def _near(self, k: str) -> list[Entry]:
        """Entries with an alias one edit away from `k` (cached: the same labels recur in every report)."""
        near = self._near_cache.get(k)
        if near is None:
            near = list(
                dict.fromkeys(
                    e
                    for alias_key, es in self._index.items()
                    if len(alias_key) >= 4
                    and abs(len(alias_key) - len(k)) <= 1
                    and edit_distance(k, alias_key, 1) <= 1
                    for e in es
                )
            )
            if len(self._near_cache) < 20000:
                self._near_cache[k] = near
        return near

    @staticmethod
    def _pick(cands: list[Entry], scope: str | None, allowed: set[str | None] | None) -> Entry | None:
        if allowed is not None:
            cands = [e for e in cands if e.scope in allowed]
        unique = list(dict.fromkeys(cands))
        if len(unique) == 1:
            return unique[0]
        if len(unique) > 1 and scope is not None:
            scoped = [e for e in unique if e.scope == scope]
            if len(scoped) == 1:
                return scoped[0]
        return None

    def _fuzzy(
        self, k: str, scope: str | None, number: str | None, allowed: set[str | None] | None
    ) -> Match | None:
        # Close spellings ('其他法律行政止公开') only within the group the row sits in, and only when the
        # printed item number agrees or the spelling is very close: a typo, not a different row.
        scored: list[tuple[float, Entry]] = []
        for alias_key, es in self._index.items():
            for e in es:
                if scope is not None and e.scope != scope:
                    continue
                if allowed is not None and e.scope not in allowed:
                    continue
                ratio = SequenceMatcher(None, k, alias_key, autojunk=False).ratio()
                scored.append((ratio, e))
        if not scored:
            return None
        scored.sort(key=lambda t: -t[0])
        best_ratio, best = scored[0]
        runner_up = next((r for r, e in scored[1:] if e is not best), 0.0)
        if best_ratio - runner_up < 0.15:
            return None
        if best_ratio >= 0.85 or (best_ratio >= 0.6 and number is not None and number == best.number):
            return Match(best, "fuzzy")
        return None


_INNER_NUMBERING = re.compile(
    r"(?<=\S)(?=[（(][一二三四五六七八九十]{1,2}[)）]|(?<![\d.])\d{1,2}\s*[.、．](?!\d))"
)


def segments(label: str) -> list[str]:
    """A label that prints a group and an item in one cell (`（三）不予公开 1.属于国家秘密`), cut before
    each numbering token after the first character."""
    parts = [p.strip() for p in _INNER_NUMBERING.split(label) if p.strip()]
    return parts or [label]
