"""The five seed reports in every form they are published in, against golden files typed by hand.

For each seed × form (text as given, the site's HTML page, DOCX, LibreOffice PDF; built by
tests/fixtures/make_fixtures.py): agency, year, template and title; every golden fact present with its
value (and unit for T2008); no fact in the golden's tables that the golden does not list; the check
outcomes worked out by hand; and the document valid against report.schema.json.
"""

from __future__ import annotations

from functools import cache

import pytest
from fact_compare import FIXTURES, check_problems, fact_problems, load_golden, schema_errors

from parsers import Document, ParseError, parse

KEYS = ["000", "001", "002", "003", "004"]
FORMS = {
    "txt": "text/plain",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
CASES = [(key, form) for key in KEYS for form in FORMS]


@cache
def parsed(key: str, form: str) -> Document:
    path = FIXTURES / key / f"report.{form}"
    return parse(path.read_bytes(), FORMS[form], str(path))


def parse_or_fail(key: str, form: str) -> Document:
    try:
        return parsed(key, form)
    except ParseError as exc:
        pytest.fail(f"seed {key} as {form}: ParseError({exc.kind}): {exc.reason}")


@pytest.mark.parametrize(("key", "form"), CASES)
def test_metadata(key, form):
    doc, golden = parse_or_fail(key, form), load_golden(key)
    got = (doc.agency, doc.year, doc.template, doc.title)
    assert got == (golden.agency, golden.year, golden.template, golden.title)


@pytest.mark.parametrize(("key", "form"), CASES)
def test_every_golden_fact(key, form):
    doc, golden = parse_or_fail(key, form), load_golden(key)
    problems = fact_problems(doc, golden.facts, tables=golden.tables, units=golden.units or None)
    assert not problems, f"seed {key} as {form}: {len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.parametrize(("key", "form"), CASES)
def test_checks_worked_out_by_hand(key, form):
    doc, golden = parse_or_fail(key, form), load_golden(key)
    problems = check_problems(doc, golden.checks)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("key", "form"), CASES)
def test_document_validates_against_the_schema(key, form):
    doc = parse_or_fail(key, form)
    errors = schema_errors(doc)
    assert not errors, "\n".join(errors[:20])


def test_goldens_are_complete():
    """Every cell of tables 二, 三 and 四 (T2019/T2021) is in the golden, as is each T2008 indicator row."""
    for key in KEYS:
        g = load_golden(key)
        if g.template == "T2008":
            assert len(g.facts) == (71 if key == "000" else 65), key
            continue
        apps = [k for k in g.facts if k[0] == "applications"]
        rows = 25 if g.template == "T2021" else 23
        assert len(apps) == rows * 7, key
        assert len([k for k in g.facts if k[0] == "review_litigation"]) == 15, key
        disclosure = [k for k in g.facts if k[0] == "active_disclosure"]
        assert len(disclosure) == (10 if g.template == "T2021" else 25), key
