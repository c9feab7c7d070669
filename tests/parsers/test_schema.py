"""report.schema.json: a valid schema, in step with docs/SCHEMA.md, strict enough to catch a misspelt
key, and covering every key the synthetic reports can make a parser produce."""

from __future__ import annotations

import copy
import itertools
import json
import re
from pathlib import Path

import pytest
from fact_compare import SCHEMA_PATH, VALIDATOR
from jsonschema import Draft202012Validator

from mirror.reports import Variation, generate_report

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
DOC_MD = (ROOT / "docs" / "SCHEMA.md").read_text(encoding="utf-8")


def schema_keys() -> dict[str, tuple[set[str], set[str]]]:
    """table -> (row keys, column keys) as the JSON schema enumerates them."""
    out: dict[str, tuple[set[str], set[str]]] = {}
    for branch in SCHEMA["properties"]["facts"]["items"]["oneOf"]:
        props = branch["properties"]
        row = props["row"]
        rows = set(row.get("enum") or next(x["enum"] for x in row["anyOf"] if "enum" in x))
        out[props["table"]["const"]] = (rows, set(props["col"]["enum"]))
    return out


def documented_tokens(section: str) -> set[str]:
    """Backticked keys of one `## Table` section of SCHEMA.md; `.website` after `active.channel.gazette`
    stands for active.channel.website."""
    tokens: set[str] = set()
    last_full = ""
    for tok in re.findall(r"`([^`]+)`", section):
        if "<" in tok or " " in tok:
            continue
        if tok.startswith("."):
            tok = last_full.rsplit(".", 1)[0] + tok
        elif "." in tok:
            last_full = tok
        tokens.add(tok)
    return tokens


def md_section(title: str) -> str:
    start = DOC_MD.index(title)
    end = DOC_MD.find("\n## ", start + 1)
    return DOC_MD[start : end if end > 0 else None]


def minimal_doc(facts: list[dict]) -> dict:
    return {
        "parser_version": "1.0.0",
        "source": {"sha256": "0" * 64, "uri": None, "media_type": "text/html"},
        "agency": "北京市科学技术委员会",
        "year": 2020,
        "title": "北京市科学技术委员会2020年政府信息公开工作年度报告",
        "template": "T2019",
        "sections": [{"number": "一", "heading": "总体情况", "text": "…"}],
        "facts": facts,
        "checks": [
            {"rule": "applications.balance", "where": "total", "ok": True, "expected": 6, "actual": 6}
        ],
        "warnings": [],
    }


def test_schema_is_a_valid_2020_12_schema():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"].endswith("2020-12/schema")


@pytest.mark.parametrize("table", ["active_disclosure", "applications", "review_litigation", "legacy_stats"])
def test_schema_and_schema_md_list_the_same_keys(table):
    rows, cols = schema_keys()[table]
    # Fact fields named in the prose ("keeps its printed unit in `unit`") are not keys.
    documented = documented_tokens(md_section(f"## Table `{table}`")) - {
        table,
        "unit",
        "raw",
        "label",
        "page",
    }
    undocumented = {
        k for k in rows | cols if k not in documented and not re.fullmatch(r"active\.key_areas\.\d+", k)
    }
    unknown = documented - rows - cols
    assert not undocumented, f"in the JSON schema but not in SCHEMA.md: {sorted(undocumented)}"
    assert not unknown, f"in SCHEMA.md but not in the JSON schema: {sorted(unknown)}"


def test_schema_and_schema_md_list_the_same_rules():
    documented = set(re.findall(r"^\| `([a-z_.]+)` \|", md_section("## Consistency checks"), re.M))
    assert documented == set(SCHEMA["properties"]["checks"]["items"]["properties"]["rule"]["enum"])


GOOD_FACT = {
    "table": "applications",
    "row": "new_received",
    "col": "total",
    "value": 6,
    "raw": "6",
    "label": "一、本年新收政府信息公开申请数量",
    "page": 3,
}


def test_a_well_formed_document_validates():
    assert list(VALIDATOR.iter_errors(minimal_doc([GOOD_FACT]))) == []


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("row", "new_recieved"),  # misspelt row
        ("col", "natural_persons"),  # misspelt column
        ("table", "application"),  # misspelt table
        ("value", "6"),  # a string where a number belongs
        ("row", "denied.state_secrets"),
    ],
)
def test_a_misspelt_key_is_rejected(field, bad):
    fact = dict(GOOD_FACT, **{field: bad})
    assert list(VALIDATOR.iter_errors(minimal_doc([fact]))), f"{field}={bad!r} should not validate"


@pytest.mark.parametrize(
    "fact",
    [
        {
            "table": "legacy_stats",
            "row": "label:一、主动公开情况",
            "col": "value",
            "value": 139,
            "unit": None,
        },
        {
            "table": "legacy_stats",
            "row": "label:(二)设置政府信息公开工作人员数",
            "col": "value",
            "value": 0,
            "unit": "人",
        },
        {
            "table": "legacy_stats",
            "row": "active.key_areas.12",
            "col": "cumulative",
            "value": 3,
            "unit": "条",
        },
        {"table": "active_disclosure", "row": "penalty", "col": "change", "value": -3},
        {"table": "active_disclosure", "row": "procurement", "col": "amount", "value": 1932.583},
        {"table": "applications", "row": "granted", "col": "total", "value": None, "raw": ""},
    ],
)
def test_unknown_rows_blank_cells_and_negative_numbers_validate(fact):
    assert list(VALIDATOR.iter_errors(minimal_doc([fact]))) == []


@pytest.mark.parametrize(
    "fact",
    [
        {
            "table": "legacy_stats",
            "row": "label:一、 主动公开情况",
            "col": "value",
            "value": 1,
        },  # whitespace kept
        {"table": "legacy_stats", "row": "active.total", "col": "total", "value": 1},
        {"table": "review_litigation", "row": "review", "col": "pending"},  # no value at all
    ],
)
def test_malformed_facts_are_rejected(fact):
    assert list(VALIDATOR.iter_errors(minimal_doc([fact])))


def test_unknown_rule_and_bad_source_are_rejected():
    doc = minimal_doc([GOOD_FACT])
    bad_rule = copy.deepcopy(doc)
    bad_rule["checks"][0]["rule"] = "applications.balanse"
    bad_source = copy.deepcopy(doc)
    bad_source["source"]["sha256"] = "abc"
    assert list(VALIDATOR.iter_errors(bad_rule)) and list(VALIDATOR.iter_errors(bad_source))


SHAPES = [
    ("T2021", None),
    ("T2019", "beijing"),
    ("T2019", "national"),
    ("T2008", "beijing"),
    ("T2008", "ningxia"),
    ("T2008", "fujian"),
]
KNOBS = [
    "label_typos",
    "other_as_one_row",
    "legal_person_column",
    "subtotal_rows",
    "alt_numbering",
    "blank_zero_cells",
]


@pytest.mark.parametrize(("template", "variant"), SHAPES)
def test_every_key_the_generator_expects_is_a_schema_key(template, variant):
    """The synthetic reports never expect a key a parser could not validly produce."""
    seen: set[tuple[str, str, str]] = set()
    for seed, flags in itertools.product(range(8), itertools.product([False, True], repeat=len(KNOBS))):
        if seed % 2 and any(flags):  # all flag combinations on even seeds, plain printing on odd ones
            continue
        report = generate_report(seed, agency="金凤区科技局", year=2020, template=template, variant=variant)
        var = Variation(**dict(zip(KNOBS, flags, strict=True)))
        seen |= set(report.expected_facts(var))
    facts = [{"table": t, "row": r, "col": c, "value": 1, "unit": None} for t, r, c in sorted(seen)]
    errors = [
        f"{facts[e.absolute_path[1]]}: {e.message[:80]}" for e in VALIDATOR.iter_errors(minimal_doc(facts))
    ]
    assert not errors, "\n".join(errors[:20])
