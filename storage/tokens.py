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


def _runs(text: str) -> Iterator[tuple[str, str]]:
    """Yield ("han" | "word", run) over folded text."""
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if is_han(ch):
            j = i
            buf: list[str] = []
            while j < n:
                c = text[j]
                if is_han(c):
                    buf.append(c)
                    j += 1
                elif c.isspace():
                    # Skip layout whitespace only when Han text continues after it.
                    k = j
                    while k < n and text[k].isspace():
                        k += 1
                    if k < n and is_han(text[k]):
                        j = k
                    else:
                        break
                else:
                    break
            yield "han", "".join(buf)
            i = j
        elif ch.isalnum():
            j = i
            while j < n and text[j].isalnum() and not is_han(text[j]):
                j += 1
            yield "word", text[i:j]
            i = j
        else:
            i += 1


def _run_tokens(kind: str, run: str) -> list[str]:
    if kind == "han" and len(run) > 1:
        return [run[k : k + 2] for k in range(len(run) - 1)]
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
    positions: dict[str, list[int]] = {}
    for pos, tok in enumerate(tokens, start=1):
        positions.setdefault(tok, []).append(min(pos, MAX_TSVECTOR_POSITION))
    return " ".join(f"{_quote_lexeme(t)}:{','.join(map(str, p))}" for t, p in positions.items())


def tsquery_literal(terms: list[Term]) -> str:
    """Each term a phrase (`a <-> b <-> c`), terms joined with AND."""
    phrases = [" <-> ".join(_quote_lexeme(t) for t in term.tokens) for term in terms if term.tokens]
    return " & ".join(f"({p})" for p in phrases)


def fts5_document(tokens: list[str]) -> str:
    return " ".join(tokens)


def fts5_query(terms: list[Term]) -> str:
    """Each term a quoted FTS5 phrase, terms joined with AND."""
    return " AND ".join('"' + " ".join(term.tokens) + '"' for term in terms if term.tokens)


def _quote_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


# --- exact matching on the text, for the recheck and for highlighting ---------------------------


def normalize_for_match(text: str) -> str:
    """Folded text without whitespace: what a term must be a substring of."""
    return "".join(f for ch in text for f in _fold(ch) if not f.isspace())


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
    return term.text in normalize_for_match(text)


def find_spans(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans in `text` where the terms occur, sorted."""
    norm, where = normalized_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = norm.find(term.text)
        while start >= 0:
            end = start + len(term.text)
            spans.append((where[start], where[end - 1] + 1))
            start = norm.find(term.text, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
