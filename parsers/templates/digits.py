"""Digit runs: the cells of a row flattened into one string of digits (`21317000001324019`).

Text dumps of HTML tables often lose the cell boundaries. A run can be cut back into its cells only when
the table's sum rules leave exactly one way to cut it (table 三: 总计 = the six columns before it; table
四: 总计 = its four parts, per group). Every possible cut is enumerated (without leading zeros, as no
report prints them); if none or several satisfy the rules, the run is not read.
"""

from __future__ import annotations

from collections.abc import Callable
from math import comb

MAX_CUTS = 200_000  # give up beyond this many ways to cut (a long run with few cells)
MAX_DIGITS = 9  # no cell of these tables has more digits


def cuts(run: str, n: int) -> int:
    """How many ways there are to cut `run` into n pieces (an upper bound on the enumeration)."""
    if n <= 0 or len(run) < n:
        return 0
    return comb(len(run) - 1, n - 1)


def split_run(run: str, n: int, ok: Callable[[list[int]], bool]) -> list[list[int]] | None:
    """Every cut of `run` into n numbers that `ok` accepts; None when there are too many to try."""
    if not run.isdigit() or len(run) < n or len(run) > n * MAX_DIGITS:
        return []
    if cuts(run, n) > MAX_CUTS:
        return None
    found: list[list[int]] = []
    parts: list[int] = []

    def walk(i: int, left: int) -> None:
        rest = len(run) - i
        if left == 0:
            if rest == 0 and ok(parts):
                found.append(list(parts))
            return
        if rest < left or rest > left * MAX_DIGITS:
            return
        if run[i] == "0":
            parts.append(0)
            walk(i + 1, left - 1)
            parts.pop()
            return
        for j in range(i + 1, min(len(run), i + MAX_DIGITS) + 1):
            parts.append(int(run[i:j]))
            walk(j, left - 1)
            parts.pop()

    walk(0, n)
    return found


def unique_split(run: str, n: int, ok: Callable[[list[int]], bool]) -> tuple[list[int] | None, str]:
    """(the one cut the rules allow, or None; and why not, in words)."""
    found = split_run(run, n, ok)
    if found is None:
        return None, f"the digit run {run!r} has too many ways to cut it into {n} cells"
    if not found:
        return None, f"no way to cut the digit run {run!r} into {n} cells fits the table's sums"
    if len(found) > 1:
        return None, f"the digit run {run!r} can be cut into {n} cells in {len(found)} ways that fit the sums"
    return found[0], ""


def run_of(values: list) -> str | None:
    """The digit run when a row's value part is one cell of digits only, else None."""
    if len(values) != 1:
        return None
    text = values[0].text.strip()
    return text if text.isdigit() and len(text) >= 2 else None


def cut_cells(cell, parts: list[int]) -> list:
    """Cells for the pieces of a run (same place as the run's cell; the text is the piece as printed)."""
    from dataclasses import replace

    return [replace(cell, text=str(p)) for p in parts]
