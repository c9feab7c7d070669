"""Internally consistent statistics for a synthetic report, and planted errors.

Every rule of docs/SCHEMA.md holds on what this module returns (applications.balance, results_sum,
row_total, review_litigation.row_total, legacy_stats.sums), except the one rule a caller asks to break.
Numbers are drawn the way real reports look: mostly small, many zeros, an occasional large count.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from mirror.reports import labels as L

Key = tuple[str, str, str]
Number = int | float
Facts = dict[Key, Number | None]

PLANTABLE = (
    "applications.balance",
    "applications.results_sum",
    "applications.row_total",
    "applications.group_subtotal",
    "review_litigation.row_total",
    "legacy_stats.sums",
    "text_vs_table",
)

APP_COLS = L.APPLICATION_COLS[:-1]  # the six applicant columns; `total` is their sum

# How likely each result row is to receive an application (relative weights, real-report-like).
_LEAF_WEIGHTS: dict[str, float] = {
    "granted": 30,
    "partially_granted": 8,
    "denied.state_secret": 0.5,
    "denied.prohibited_by_law": 1,
    "denied.three_safeties": 0.5,
    "denied.third_party": 3,
    "denied.internal_affairs": 2,
    "denied.process_info": 3,
    "denied.enforcement_file": 1,
    "denied.query_matter": 1,
    "unable.not_held": 20,
    "unable.needs_creation": 5,
    "unable.unclear": 3,
    "not_processed.petition": 5,
    "not_processed.duplicate": 3,
    "not_processed.publication": 1,
    "not_processed.excessive": 1,
    "not_processed.reconfirm": 2,
    "other": 8,
    "other.overdue_correction": 3,
    "other.overdue_fee": 0.5,
    "other.other": 5,
}


def _count(rng: random.Random, zero: float, high: int, *, low: int = 1) -> int:
    """0 with probability `zero`, else a count skewed towards the low end of [low, high]."""
    if rng.random() < zero or high < low:
        return 0
    return low + int((high - low + 1) * rng.random() ** 2.5)


def _amount(rng: random.Random, zero: float, high: float, decimals: int) -> Number:
    if rng.random() < zero:
        return 0
    value = round(rng.uniform(0.5, high), decimals)
    # A four-decimal amount whose last digits happen to be zero would print as a shorter number.
    return value if value != int(value) else value + 0.5


def applications(
    rng: random.Random,
    *,
    other_as_one_row: bool,
    at_least_one: bool = False,
    carried_over: dict[str, int] | None = None,
) -> Facts:
    """Table 三: per applicant column, new + carried = processed + carried forward; leaves sum to （七）总计.
    `carried_over` is last year's 结转下年度 per column, where last year's report is known."""
    scale = rng.choice([3, 8, 25, 80, 400])
    new = {
        "natural_person": _count(rng, 0.15, scale),
        "commercial": _count(rng, 0.5, max(1, scale // 3)),
        "research": _count(rng, 0.85, max(1, scale // 10)),
        "social_welfare": _count(rng, 0.85, max(1, scale // 10)),
        "legal_service": _count(rng, 0.75, max(1, scale // 8)),
        "other_org": _count(rng, 0.7, max(1, scale // 6)),
    }
    if at_least_one and sum(new.values()) == 0:
        new["natural_person"] = 1 + rng.randrange(5)
    carried = {c: _count(rng, 0.8, 3) for c in APP_COLS}
    if carried_over is not None:
        carried = {c: int(carried_over.get(c, 0)) for c in APP_COLS}
    forward = {
        c: rng.randint(0, min(new[c] + carried[c], 1 + scale // 10)) if rng.random() < 0.4 else 0
        for c in APP_COLS
    }
    if at_least_one:
        for c in APP_COLS:  # keep at least one application processed, for planted errors to land on
            if new[c] + carried[c] - forward[c] > 0:
                break
        else:
            forward["natural_person"] = 0

    leaves = L.result_leaf_keys(other_as_one_row)
    active = [k for k in leaves if rng.random() < 0.35 or k in ("granted", "unable.not_held")]
    weights = [_LEAF_WEIGHTS[k] for k in active]

    facts: Facts = {}
    for c in APP_COLS:
        processed = new[c] + carried[c] - forward[c]
        counts = dict.fromkeys(leaves, 0)
        for k in rng.choices(active, weights=weights, k=processed):
            counts[k] += 1
        facts[("applications", "new_received", c)] = new[c]
        facts[("applications", "carried_over", c)] = carried[c]
        for k, n in counts.items():
            facts[("applications", k, c)] = n
        facts[("applications", "total_processed", c)] = processed
        facts[("applications", "carried_forward", c)] = forward[c]
    rows = ["new_received", "carried_over", *leaves, "total_processed", "carried_forward"]
    for r in rows:
        facts[("applications", r, "total")] = sum(facts[("applications", r, c)] for c in APP_COLS)
    return facts


def review_litigation(rng: random.Random) -> Facts:
    facts: Facts = {}
    busy = rng.random() < 0.3
    for row, _ in L.REVIEW_ROWS:
        parts = {c: (_count(rng, 0.6, 4) if busy else 0) for c, _ in L.REVIEW_COLS[:-1]}
        for c, n in parts.items():
            facts[("review_litigation", row, c)] = n
        facts[("review_litigation", row, "total")] = sum(parts.values())
    return facts


def disclosure_t2021(rng: random.Random) -> Facts:
    f: Facts = {}
    rules_busy = rng.random() < 0.15
    f[("active_disclosure", "rules", "issued")] = _count(rng, 0.3, 4) if rules_busy else 0
    f[("active_disclosure", "rules", "repealed")] = _count(rng, 0.6, 3) if rules_busy else 0
    f[("active_disclosure", "rules", "in_force")] = _count(rng, 0.1, 40) if rules_busy else 0
    f[("active_disclosure", "normative_documents", "issued")] = _count(rng, 0.25, 40)
    f[("active_disclosure", "normative_documents", "repealed")] = _count(rng, 0.4, 30)
    f[("active_disclosure", "normative_documents", "in_force")] = _count(rng, 0.05, 300)
    f[("active_disclosure", "licensing", "decisions")] = _count(rng, 0.3, rng.choice([50, 2000, 400000]))
    f[("active_disclosure", "penalty", "decisions")] = _count(rng, 0.4, rng.choice([20, 800, 60000]))
    f[("active_disclosure", "coercion", "decisions")] = _count(rng, 0.7, 60)
    f[("active_disclosure", "fees", "amount")] = _amount(rng, 0.7, 30000.0, rng.choice([2, 4]))
    return f


def disclosure_t2019(rng: random.Random, *, beijing: bool) -> Facts:
    f: Facts = {}
    for row in ("rules", "normative_documents"):
        busy = row == "normative_documents" or rng.random() < 0.15
        made = _count(rng, 0.3, 30) if busy else 0
        published = min(made, _count(rng, 0.2, 30)) if busy else 0
        f[("active_disclosure", row, "made")] = made
        f[("active_disclosure", row, "published")] = published
        f[("active_disclosure", row, "total_published")] = (published + _count(rng, 0.1, 200)) if busy else 0
    item_rows = ["licensing", "penalty", "coercion"]
    item_rows += (
        ["other_services.inspection", "other_services.confirmation"] if beijing else ["other_services"]
    )
    for row in item_rows:
        prev = _count(rng, 0.4, 120)
        f[("active_disclosure", row, "prev_items")] = prev
        f[("active_disclosure", row, "change")] = rng.randint(-prev, 10) if rng.random() < 0.4 else 0
        f[("active_disclosure", row, "decisions")] = _count(rng, 0.4, rng.choice([30, 900, 50000]))
    prev = _count(rng, 0.7, 8)
    f[("active_disclosure", "fees", "prev_items")] = prev
    f[("active_disclosure", "fees", "change")] = rng.randint(-prev, 2) if rng.random() < 0.3 else 0
    f[("active_disclosure", "procurement", "items")] = items = _count(rng, 0.2, 200)
    f[("active_disclosure", "procurement", "amount")] = _amount(rng, 0.0, 5000.0, 4) if items else 0
    return f


def _split(rng: random.Random, total: int, n: int, weights: list[float] | None = None) -> list[int]:
    parts = [0] * n
    for i in rng.choices(range(n), weights=weights, k=total):
        parts[i] += 1
    return parts


def legacy(rng: random.Random, variant: str) -> Facts:
    """T2008 统计表 values; every parent of labels.LEGACY_SUMS equals the sum of its printed parts."""
    v: dict[str, Number] = {}
    v["active.total"] = total = _count(rng, 0.0, 3000, low=20)
    v["active.normative_documents"] = nd = _count(rng, 0.3, 30)
    v["active.normative_documents_issued"] = nd + _count(rng, 0.7, 5)
    items = [_count(rng, 0.75, 6) for _ in range(12)]
    items[0] = max(items[0], 1)
    for i, n in enumerate(items, start=1):
        v[f"active.key_areas.{i}"] = n
    v["active.key_areas"] = sum(items)
    v["active.channel.gazette"] = _count(rng, 0.5, 20)
    v["active.channel.website"] = total if rng.random() < 0.7 else _count(rng, 0.0, total)
    v["active.channel.weibo"] = _count(rng, 0.4, 800)
    v["active.channel.wechat"] = _count(rng, 0.4, 800)
    v["active.channel.other"] = _count(rng, 0.6, 1500)
    v["response.hot_topics"] = _count(rng, 0.6, 6)
    v["response.press_conferences"] = press = _count(rng, 0.3, 40)
    v["response.press_conferences_by_head"] = min(press, _count(rng, 0.5, 4))
    v["response.online_interviews"] = inter = _count(rng, 0.5, 6)
    v["response.online_interviews_by_head"] = min(inter, _count(rng, 0.6, 2))
    v["response.interpretations"] = _count(rng, 0.3, 30)
    v["response.weibo_wechat"] = _count(rng, 0.7, 5)
    v["response.other"] = _count(rng, 0.8, 3)

    channels = _split(rng, _count(rng, 0.15, 60), 4, [1, 0.2, 6, 2])
    for k, n in zip(L.LEGACY_SUMS["requests.received"], channels, strict=True):
        v[k] = n
    v["requests.received"] = received = sum(channels)
    extended = _count(rng, 0.7, max(1, received // 5)) if received else 0
    v["requests.closed.on_time"], v["requests.closed.extended"] = received - extended, extended
    v["requests.closed"] = received
    answers = _split(rng, received, 8, [6, 8, 2, 2, 3, 4, 1, 1])
    for k, n in zip(L.LEGACY_SUMS["requests.answered"], answers, strict=True):
        v[k] = n
    v["requests.answered"] = received
    denied = _split(rng, answers[3], 6, [1, 1, 2, 0.5, 4, 1])
    for k, n in zip(L.LEGACY_SUMS["requests.answered.denied"], denied, strict=True):
        v[k] = n
    for head in ("review", "litigation"):
        parts = [_count(rng, 0.85, 2) for _ in range(3)]
        for k, n in zip(L.LEGACY_SUMS[f"{head}.total"], parts, strict=True):
            v[k] = n
        v[f"{head}.total"] = sum(parts)
    v["complaints"] = _count(rng, 0.85, 3)
    v["fees"] = 0 if rng.random() < 0.9 else round(rng.uniform(0.01, 0.5), 2)
    v["staffing.offices"] = rng.choice([1, 1, 1, 2])
    v["staffing.reading_rooms"] = rng.choice([1, 1, 2, 3])
    v["staffing.full_time"] = full = _count(rng, 0.1, 6)
    v["staffing.part_time"] = part = _count(rng, 0.1, 50)
    v["staffing.staff"] = full + part
    v["staffing.budget"] = _count(rng, 0.4, 120) if rng.random() < 0.7 else round(rng.uniform(1, 99), 1)
    v["training.meetings"] = _count(rng, 0.1, 10)
    v["training.sessions"] = _count(rng, 0.2, 10)
    v["training.trainees"] = _count(rng, 0.2, 500, low=5)

    if variant == "beijing":
        keys = [i.key for i in L.BEIJING_INDICATORS if i.key]
        return {("legacy_stats", k, "value"): v[k] for k in keys}
    if variant == "ningxia":
        facts: Facts = {("legacy_stats", i.key, "value"): v[i.key] for i in L.NINGXIA_INDICATORS if i.key}
        # Ningxia prints a value on header lines too (seed 004: 一、主动公开情况 — 139); kept as unknown rows.
        heads = {
            "一、主动公开情况": total + v["active.channel.website"] + v["active.channel.weibo"],
            "（二）通过不同渠道和方式公开政府信息的情况": rng.choice([0, v["active.channel.website"]]),
            "二、回应解读情况": rng.choice(
                [0, v["response.press_conferences"] + v["response.interpretations"]]
            ),
            "（二）通过不同渠道和方式回应解读的情况": 0,
            "三、依申请公开情况": rng.choice([0, received]),
            "八、机构建设和保障经费情况": 0,
            "九、政府信息公开会议和培训情况": 0,
        }
        for label, n in heads.items():
            facts[("legacy_stats", "label:" + label, "value")] = n
        return facts
    return _fujian(rng, v)


def _fujian(rng: random.Random, v: dict[str, Number]) -> Facts:
    web = v["active.channel.website"] = min(v["active.total"], v["active.channel.website"])
    v["active.channel.gazette"] = min(v["active.channel.gazette"], v["active.total"] - web)
    received = v["requests.received"]
    in_person, online, letter = _split(rng, received, 3, [1, 5, 1])
    granted, partial, denied, other = _split(rng, received, 4, [6, 1, 1, 2])
    values: dict[str, Number] = {
        "active.total": v["active.total"],
        "active.channel.website": web,
        "active.channel.gazette": v["active.channel.gazette"],
        "requests.received": received,
        "requests.received.in_person": in_person,
        "requests.received.online": online,
        "label:3.信函、传真申请数": letter,
        "requests.answered": received,
        "requests.answered.granted": granted,
        "requests.answered.partially_granted": partial,
        "requests.answered.denied": denied,
        "label:4.其他类型答复数": other,
        "label:政府信息公开收费减免金额": 0,
        "label:接受行政诉讼、举报数": v["complaints"],
        "review.total": v["review.total"],
        "litigation.total": v["litigation.total"],
    }
    facts: Facts = {}
    for k, n in values.items():
        facts[("legacy_stats", k, "value")] = n
        # 历年累计 is this year plus the earlier years.
        facts[("legacy_stats", k, "cumulative")] = int(n) + _count(rng, 0.3, 5 * int(n) + 20)
    # The parents' 历年累计 are the sums of their parts' 历年累计, as this year's values are.
    for parent, parts in FUJIAN_SUMS.items():
        facts[("legacy_stats", parent, "cumulative")] = sum(
            int(facts[("legacy_stats", p, "cumulative")] or 0) for p in parts
        )
    return facts


FUJIAN_SUMS = {
    "requests.received": [
        "requests.received.in_person",
        "requests.received.online",
        "label:3.信函、传真申请数",
    ],
    "requests.answered": [
        "requests.answered.granted",
        "requests.answered.partially_granted",
        "requests.answered.denied",
        "label:4.其他类型答复数",
    ],
}


def units_for(variant: str) -> dict[Key, str | None]:
    indicators = {"beijing": L.BEIJING_INDICATORS, "ningxia": L.NINGXIA_INDICATORS}.get(
        variant, L.FUJIAN_INDICATORS
    )
    units: dict[Key, str | None] = {}
    for ind in indicators:
        if ind.key:
            units[("legacy_stats", ind.key, "value")] = ind.unit
            if variant == "fujian":
                units[("legacy_stats", ind.key, "cumulative")] = ind.unit
    return units


# ---------------------------------------------------------------- planted errors


def _positive(facts: Facts, keys: Iterable[Key]) -> list[Key]:
    return [k for k in keys if isinstance(facts.get(k), int) and facts[k] > 0]


def plant(rng: random.Random, facts: Facts, rule: str, template: str, *, other_as_one_row: bool) -> str:
    """Break `rule` on purpose, leaving the other rules intact. Returns where it was broken."""
    delta = rng.randint(1, 3)
    if rule == "applications.balance":
        c = rng.choice(APP_COLS)
        facts[("applications", "carried_forward", c)] += delta  # type: ignore[operator]
        facts[("applications", "carried_forward", "total")] += delta  # type: ignore[operator]
        return c
    if rule == "applications.results_sum":
        c = rng.choice(APP_COLS)
        leaf = rng.choice(L.result_leaf_keys(other_as_one_row))
        facts[("applications", leaf, c)] += delta  # type: ignore[operator]
        facts[("applications", leaf, "total")] += delta  # type: ignore[operator]
        return c
    if rule == "applications.row_total":
        # Move one application between two result rows of one column: every column sum still holds,
        # the two rows' totals no longer equal their parts.
        leaves = L.result_leaf_keys(other_as_one_row)
        donors = _positive(facts, [("applications", r, c) for r in leaves for c in APP_COLS])
        _, src, col = rng.choice(donors)
        dst = rng.choice([r for r in leaves if r != src])
        facts[("applications", src, col)] -= 1  # type: ignore[operator]
        facts[("applications", dst, col)] += 1  # type: ignore[operator]
        return f"{src},{dst}"
    if rule == "review_litigation.row_total":
        row = rng.choice([r for r, _ in L.REVIEW_ROWS])
        facts[("review_litigation", row, "total")] += delta  # type: ignore[operator]
        return row
    if rule == "legacy_stats.sums":
        if template != "T2008" or ("legacy_stats", "requests.closed", "value") not in facts:
            raise ValueError("legacy_stats.sums can be planted in the Beijing and Ningxia T2008 tables only")
        parent = rng.choice(["requests.received", "requests.closed", "staffing.staff", "review.total"])
        facts[("legacy_stats", parent, "value")] += delta  # type: ignore[operator]
        return parent
    if rule in ("text_vs_table", "applications.group_subtotal"):
        return ""  # planted in the narrative / in the printed subtotal rows, not in the facts
    raise ValueError(f"cannot plant {rule!r}; plantable rules: {', '.join(PLANTABLE)}")


def follow_previous(facts: Facts, previous: Facts, template: str) -> None:
    """Table 二 continues last year's where both years use the same template: T2021 现行有效件数 =
    last year's + 制发 − 废止; T2019 上一年项目数量 = last year's + last year's 本年增/减."""
    if template == "T2021":
        for row in ("rules", "normative_documents"):
            last = previous.get(("active_disclosure", row, "in_force"))
            if isinstance(last, int):
                issued = int(facts[("active_disclosure", row, "issued")] or 0)
                repealed = min(int(facts[("active_disclosure", row, "repealed")] or 0), last)
                facts[("active_disclosure", row, "repealed")] = repealed
                facts[("active_disclosure", row, "in_force")] = last + issued - repealed
        return
    for (table, row, col), value in list(previous.items()):
        if table == "active_disclosure" and col == "prev_items" and (table, row, col) in facts:
            change = previous.get((table, row, "change")) or 0
            prev_items = max(0, int(value or 0) + int(change))
            facts[(table, row, col)] = prev_items
            if (table, row, "change") in facts:
                facts[(table, row, "change")] = max(int(facts[(table, row, "change")] or 0), -prev_items)
