"""The one tokenizer for Chinese full-text search, used for documents and queries alike.

Han text becomes overlapping character bigrams (`政府信息` -> 政府 府信 信息); a run of one Han
character becomes that character; runs of digits or Latin letters become one token each. Text is
NFKC-normalised (full-width digits and letters become ASCII) and case-folded first. Whitespace
between two Han characters does not break the run: reports wrap lines and pad words with spaces
(`信息 公开`), and a reader searching 信息公开 means both.

A search term matches a chunk when its tokens appear at consecutive positions (a phrase query in
PostgreSQL `tsvector('simple')` and SQLite FTS5), and the hit is then rechecked on the text itself
(`contains_term`), so every term of two or more characters matches exactly. Digits and Latin words
match whole: `4321` finds 申请4321件, `432` does not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# tsvector positions stop at 16383; chunks are far shorter, this only keeps a hostile one legal.
MAX_TSVECTOR_POSITION = 16383


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF  # CJK Unified Ideographs
        or 0x3400 <= cp <= 0x4DBF  # Extension A
        or 0x20000 <= cp <= 0x3134F  # Extensions B-G
        or 0xF900 <= cp <= 0xFAFF  # Compatibility Ideographs (mostly folded by NFKC)
        or cp == 0x3007  # 〇, used in dates (二〇一八年)
    )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# A Han run (whitespace inside it is layout and is skipped), or a run of other letters and digits.
_RUN = re.compile(rf"(?P<han>[{_HAN}](?:\s*[{_HAN}])*)|(?P<word>[^\W_{_HAN}]+)")


def _runs(text: str) -> Iterator[tuple[str, str]]:
    """Yield ("han" | "word", run) over folded text."""
    for m in _RUN.finditer(text):
        han = m.group("han")
        if han is None:
            yield "word", m.group("word")
        else:
            yield "han", "".join(han.split()) if len(han) > 1 else han


def _run_tokens(kind: str, run: str) -> list[str]:
    if kind == "han" and len(run) > 1:
        return list(map(str.__add__, run[:-1], run[1:]))  # the bigrams, without a Python-level loop
    return [run]


def search_tokens(text: str) -> list[str]:
    """The tokens of `text` in order; positions are list indices (+1 in tsvector)."""
    out: list[str] = []
    for kind, run in _runs(_fold(text)):
        out.extend(_run_tokens(kind, run))
    return out


@dataclass(frozen=True, slots=True)
class Term:
    """One search term: the text to recheck and the tokens that must be adjacent (may be empty)."""

    text: str
    tokens: tuple[str, ...]

    @property
    def indexable(self) -> bool:
        return bool(self.tokens)


def parse_query(query: str) -> list[Term]:
    """Split a query on whitespace into terms, each matched as an exact phrase.

    A one-character Han run at either end of a term is left out of its token phrase (in a document
    that character may sit inside a longer run and be indexed only as part of bigrams); the recheck
    on the text keeps the match exact. A term that is a single Han character has no tokens and is
    searched by scanning (slow, and said so by the caller).
    """
    terms: list[Term] = []
    for raw in query.split():
        text = normalize_for_match(raw)
        if not any(ch.isalnum() for ch in text):
            continue  # punctuation alone finds nothing worth finding
        runs = list(_runs(_fold(raw)))
        if len(runs) > 1:
            if runs[0][0] == "han" and len(runs[0][1]) == 1:
                runs = runs[1:]
            if runs and runs[-1][0] == "han" and len(runs[-1][1]) == 1:
                runs = runs[:-1]
        elif runs and runs[0][0] == "han" and len(runs[0][1]) == 1:
            runs = []
        tokens: list[str] = []
        for kind, run in runs:
            tokens.extend(_run_tokens(kind, run))
        terms.append(Term(text=text, tokens=tuple(tokens)))
    return terms


def tsvector_literal(tokens: list[str]) -> str:
    """A PostgreSQL tsvector literal with our positions, so the server's text parser never re-splits."""
    positions: dict[str, list[str]] = {}
    for pos, tok in enumerate(tokens, start=1):
        positions.setdefault(tok, []).append(str(pos) if pos < MAX_TSVECTOR_POSITION else "16383")
    return " ".join(f"{_quote_lexeme(t)}:{','.join(p)}" for t, p in positions.items())


def tsquery_literal(terms: list[Term], *, phrase: bool = True) -> str:
    """Each term a phrase (`a <-> b <-> c`), terms joined with AND.

    With `phrase=False` every token is simply required (`a & b & c`): GIN answers that without
    reading the rows' tsvectors again, and the exact recheck on the text does the rest."""
    if not phrase:
        tokens = dict.fromkeys(t for term in terms for t in term.tokens)
        return " & ".join(_quote_lexeme(t) for t in tokens)
    phrases = [" <-> ".join(_quote_lexeme(t) for t in term.tokens) for term in terms if term.tokens]
    return " & ".join(f"({p})" for p in phrases)


def fts5_document(tokens: list[str]) -> str:
    return " ".join(tokens)


def fts5_query(terms: list[Term]) -> str:
    """Each term a quoted FTS5 phrase, terms joined with AND."""
    return " AND ".join('"' + " ".join(term.tokens) + '"' for term in terms if term.tokens)


def _quote_lexeme(token: str) -> str:
    if "'" in token or "\\" in token:  # tokens are letters and digits; this is only a safeguard
        token = token.replace("\\", "\\\\").replace("'", "''")
    return f"'{token}'"


# --- exact matching on the text, for the recheck and for highlighting ---------------------------


def normalize_for_match(text: str) -> str:
    """Folded text without whitespace: what a term must be a substring of."""
    return "".join(_fold(text).split())


def normalized_with_offsets(text: str) -> tuple[str, list[int]]:
    """`normalize_for_match(text)`, char by char, with the index in `text` of every output char."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for f in _fold(ch):
            if not f.isspace():
                out.append(f)
                where.append(i)
    return "".join(out), where


def contains_term(text: str, term: Term) -> bool:
    # Most hits are there as typed; only the others pay for normalising the whole text.
    return term.text in text or term.text in normalize_for_match(text)


def _raw_spans(text: str, needle: str) -> list[tuple[int, int]]:
    spans = []
    start = text.find(needle)
    while start >= 0:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + len(needle))
    return spans


def find_spans(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans in `text` where the terms occur, sorted."""
    spans: list[tuple[int, int]] = []
    normalized: tuple[str, list[int]] | None = None
    for term in terms:
        raw = _raw_spans(text, term.text)
        if raw and len(raw) == normalize_for_match(text).count(term.text):  # the usual case: all as typed
            spans.extend(raw)
            continue
        if normalized is None:
            normalized = normalized_with_offsets(text)
        norm, where = normalized
        for s, e in _raw_spans(norm, term.text):
            spans.append((where[s], where[e - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
