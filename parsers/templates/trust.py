"""Values of tables whose cells' places the reader inferred: kept only where the table confirms them.

A PDF table printed without some or all of its ruling lines is read by inferring its rows and columns
from where its text stands (`Table.uncertain` says what was inferred). A value put in the wrong row or
column would be a wrong number, which is worse than a missing one, so each such value must be confirmed
by the report's own arithmetic, as printed:

- table 三: the sum rules it enters hold, and one of them runs down its column (the 勾稽关系, 总计 = its
  results, a 小计 = its group). A value read into the wrong column breaks the sums of the column it
  left and of the one it entered; one read into the wrong row, those of the two rows.
- table 四: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计 holds for its group.
- the 统计表: the sums it enters hold; a row kept under its printed label (`label:…`) carries one label,
  not two rows' labels run together or a label run into its unit.
- table 二 prints no sums: its values are read only through the header words above them (active.py).

A rule can fail because the reading is wrong or because the source disagrees with itself (a report's
totals are not always the sums of their parts, and such a finding must be reported, not repaired). The
two are told apart by asking whether one slip of the reader explains the failure: a printed value read
into the blank cell beside it (or, where the rows were inferred too, above or below it). If such a slip
would make every failed rule hold, or if many rules fail, the reading is not trusted and the values
the failed rules rest on are left out, the warning naming them; otherwise the failure is the source's
and is reported by the checks. Values are never changed: the other reading only serves as evidence.
"""

from __future__ import annotations

import re
from dataclasses import replace

from parsers.checks import checks_on
from parsers.layout import COLUMNS_INFERRED
from parsers.model import Check, Fact
from parsers.normalize import label_key
from parsers.templates import legacy
from parsers.templates.matching import segments

_COLUMN_RULES = {"applications.balance", "applications.results_sum", "applications.group_subtotal"}
_UNITS = sorted((u for u in legacy.UNITS if u.strip("—-/")), key=len, reverse=True)
_UNIT_END = re.compile("(?:" + "|".join(_UNITS) + ")$")
# More failed rules than this in one table is a reading gone wrong, not a source's slip (a source
# that disagrees with itself breaks a sum or two: a total mistyped, one item counted in two rows).
MAX_FINDINGS = 3
MAX_TRIES = 2000  # other readings tried per table (each reruns the table's rules)


def confirm(facts: list[Fact], uncertain: list[tuple[Fact, str]]) -> tuple[list[Fact], list[str]]:
    """(the facts to keep, warnings naming those left out)."""
    if not uncertain:
        return facts, []
    why = {id(f): reason for f, reason in uncertain}
    checks = [(c, inv) for c, inv in checks_on(facts) if c.rule != "text_vs_table"]
    findings: set[int] = set()  # failed rules that are the source's, not the reading's
    for table in ("applications", "review_litigation", "legacy_stats"):
        failed = [
            (c, inv)
            for c, inv in checks
            if not c.ok and c.rule.startswith(table) and any(id(f) in why for f in inv)
        ]
        if failed and len(failed) <= MAX_FINDINGS and not Slips(table, facts, why).one_explains():
            findings.update(id(c) for c, _ in failed)
    made: dict[int, list[Check]] = {}
    for check, involved in checks:
        for f in involved:
            made.setdefault(id(f), []).append(check)
    slips = {t: Slips(t, facts, why) for t in ("applications", "review_litigation")}
    kept: list[Fact] = []
    left_out: dict[tuple[str, str, str], list[Fact]] = {}
    for f in facts:
        reason = why.get(id(f))
        doubt = None if reason is None else _doubt(f, made.get(id(f), []), findings, slips.get(f.table))
        if doubt is None:
            kept.append(f)
        else:
            left_out.setdefault((f.table, reason or "", doubt), []).append(f)
    warnings = [
        f"{table}: {len(fs)} value(s) left out, {doubt}; the table's {reason}: {_cells(fs)}"
        for (table, reason, doubt), fs in left_out.items()
    ]
    return kept, warnings


def _doubt(f: Fact, checks: list[Check], findings: set[int], slips: Slips | None) -> str | None:
    """Why a value of an uncertain table is not confirmed, or None when it is."""
    failed = [c for c in checks if not c.ok and id(c) not in findings]
    if failed:
        shown = ", ".join(f"{c.rule} at {c.where}" for c in failed[:3])
        return f"the sums they enter do not hold as read ({shown}) and a misreading would explain it"
    if f.table == "applications" and not any(c.rule in _COLUMN_RULES for c in checks):
        # No sum down its column: confirmed only if reading it one cell aside breaks some sum.
        if slips is not None and not slips.rejected_around(f):
            return "no printed sum down their column tells their places from the next cells'"
    elif f.table == "review_litigation" and not any(c.rule == "review_litigation.row_total" for c in checks):
        if slips is not None and not slips.rejected_around(f):
            return "no printed 总计 tells their places from the next cells'"
    elif f.table == "legacy_stats" and f.row.startswith("label:") and _glued(f.row[6:]):
        return (
            "their label is no indicator of the template and may be two rows' labels or a label and its unit"
        )
    return None


class Slips:
    """Other readings of one table, each differing from ours by one slip of the reader: a printed
    value of an uncertain part read into the blank cell beside it (or above or below it, where the
    rows were inferred too)."""

    def __init__(self, table: str, facts: list[Fact], why: dict[int, str]) -> None:
        self.table = table
        self.why = why
        self.mine = [f for f in facts if f.table == table]
        self.at = {(f.row, f.col): k for k, f in enumerate(self.mine)}
        self.rows = list(dict.fromkeys(f.row for f in self.mine))
        self.cols = list(dict.fromkeys(f.col for f in self.mine))
        self.failing, self.holding = self._outcome(self.mine)
        self.tries = 0

    def _outcome(self, facts: list[Fact]) -> tuple[set[tuple[str, str | None]], set[tuple[str, str | None]]]:
        """(the rules of the table that fail, those that hold) on a reading."""
        failing, holding = set(), set()
        for c, _ in checks_on(facts):
            if c.rule.startswith(self.table):
                (holding if c.ok else failing).add((c.rule, c.where))
        return failing, holding

    def _near(self, k: int) -> list[int]:
        f = self.mine[k]
        r, c = self.rows.index(f.row), self.cols.index(f.col)
        places = [(f.row, self.cols[c + d]) for d in (-1, 1) if 0 <= c + d < len(self.cols)]
        if self.why.get(id(f)) != COLUMNS_INFERRED:
            places += [(self.rows[r + d], f.col) for d in (-1, 1) if 0 <= r + d < len(self.rows)]
        return [j for p in places if (j := self.at.get(p)) is not None]

    def _moves(self, k: int) -> list[tuple[int, int]]:
        """(from, to) slips that involve the cell k: its value read into a blank cell next to it, or
        the value of a cell next to it read into it, where it is blank."""
        moves: list[tuple[int, int]] = []
        f = self.mine[k]
        for j in self._near(k):
            g = self.mine[j]
            if f.value is not None and g.value is None and id(f) in self.why:
                moves.append((k, j))
            elif f.value is None and g.value is not None and id(g) in self.why:
                moves.append((j, k))
        return moves

    def _reading(self, move: tuple[int, int]) -> list[Fact]:
        i, j = move
        other = list(self.mine)
        other[i], other[j] = (
            replace(self.mine[i], value=None),
            replace(self.mine[j], value=self.mine[i].value),
        )
        return other

    def one_explains(self) -> bool:
        """Whether one slip would make every rule of the table hold: then the failures may be ours."""
        for k in range(len(self.mine)):
            for move in self._moves(k):
                self.tries += 1
                if self.tries > MAX_TRIES or not self._outcome(self._reading(move))[0]:
                    return True
        return False

    def rejected_around(self, f: Fact) -> bool:
        """Whether every slip involving `f` would give a reading the sums bear out less: one where a
        rule that holds as read fails or can no longer be checked, or a rule fails that holds now."""
        k = self.at.get((f.row, f.col))
        if k is None or self.mine[k] is not f:
            return False
        for move in self._moves(k):
            self.tries += 1
            if self.tries > MAX_TRIES:
                return False
            failing, holding = self._outcome(self._reading(move))
            if failing <= self.failing and holding >= self.holding:
                return False
        return True


def _glued(label: str) -> bool:
    """A printed label that may hold more than one cell's text: two numbered items, a known indicator
    with more than a few characters before or after it, or a unit word at its end."""
    key = label_key(label)
    if len(segments(label)) > 1 or _UNIT_END.search(key):
        return True
    aliases = legacy.CATALOG.keys()
    return any(
        (key.startswith(alias) or key.endswith(alias)) and len(key) - len(alias) >= 4
        for alias in aliases
        if len(alias) >= 4
    )


def _cells(facts: list[Fact]) -> str:
    rows: dict[str, list[str]] = {}
    for f in facts:
        rows.setdefault(f.row, []).append(f.col)
    return "; ".join(f"{row} ({', '.join(cols)})" for row, cols in rows.items())
