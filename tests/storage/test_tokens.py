"""The one tokenizer for documents and queries (storage/tokens.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storage.tokens import (
    contains_term,
    find_spans,
    fts5_query,
    normalize_for_match,
    parse_query,
    search_tokens,
    tsquery_literal,
    tsvector_literal,
)


def test_han_text_becomes_overlapping_bigrams():
    assert search_tokens("政府信息公开") == ["政府", "府信", "信息", "息公", "公开"]


def test_single_han_character_run_is_a_unigram_and_digits_are_one_token():
    assert search_tokens("收到申请4321件，") == ["收到", "到申", "申请", "4321", "件"]


def test_full_width_digits_and_latin_are_folded():
    assert search_tokens("２０１８年ＫＷ.Beijing") == ["2018", "年", "kw", "beijing"]


def test_layout_whitespace_between_han_characters_does_not_break_the_run():
    assert search_tokens("信息 公开") == search_tokens("信息公开")
    assert search_tokens("信息\n公开") == search_tokens("信息公开")
    # …but punctuation does: 信息，公开 has no 息公 bigram.
    assert "息公" not in search_tokens("信息，公开")


def test_query_terms_are_split_on_whitespace_and_keep_the_exact_text():
    terms = parse_query("行政复议  申请4321件")
    assert [t.text for t in terms] == ["行政复议", "申请4321件"]
    assert terms[0].tokens == ("行政", "政复", "复议")
    # The trailing one-character run is left to the recheck: in a document 件 may start a longer run.
    assert terms[1].tokens == ("申请", "4321")


def test_a_single_han_character_has_no_index_tokens():
    (term,) = parse_query("年")
    assert term.text == "年" and not term.indexable


def test_recheck_ignores_whitespace_and_width_but_not_punctuation():
    (term,) = parse_query("2018年")
    assert contains_term("统计期限为 ２０１８ 年 1 月", term)
    (term,) = parse_query("信息公开")
    assert not contains_term("信息，公开", term)


def test_tsvector_literal_keeps_our_positions():
    lit = tsvector_literal(search_tokens("信息公开信息"))
    assert lit == "'信息':1,5 '息公':2 '公开':3 '开信':4"


def test_query_literals_are_phrases_joined_with_and():
    terms = parse_query("行政复议 不予公开")
    assert tsquery_literal(terms) == "('行政' <-> '政复' <-> '复议') & ('不予' <-> '予公' <-> '公开')"
    assert fts5_query(terms) == '"行政 政复 复议" AND "不予 予公 公开"'


def test_quotes_in_tokens_are_escaped():
    assert tsvector_literal(["it's"]) == "'it''s':1"


def test_find_spans_maps_back_to_the_original_text():
    text = "依法行政 复议，行政复议"
    terms = parse_query("行政复议")
    spans = find_spans(text, terms)
    assert [text[s:e] for s, e in spans] == ["行政 复议", "行政复议"]


def test_normalize_for_match():
    assert normalize_for_match(" Ａ Ｂ\t信 息 ") == "ab信息"


def _reference_tokens(text: str) -> list[str]:
    """The tokenizer's rules written out character by character (the module uses one regex)."""
    import unicodedata

    from storage.tokens import is_han

    text = unicodedata.normalize("NFKC", text).casefold()
    runs: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        if is_han(text[i]):
            buf, j = [], i
            while j < n:
                if is_han(text[j]):
                    buf.append(text[j])
                    j += 1
                    continue
                k = j
                while k < n and text[k].isspace():
                    k += 1
                if k > j and k < n and is_han(text[k]):
                    j = k
                    continue
                break
            runs.append(("han", "".join(buf)))
            i = j
        elif text[i].isalnum():
            j = i
            while j < n and text[j].isalnum() and not is_han(text[j]):
                j += 1
            runs.append(("word", text[i:j]))
            i = j
        else:
            i += 1
    out: list[str] = []
    for kind, run in runs:
        out.extend([run[k : k + 2] for k in range(len(run) - 1)] if kind == "han" and len(run) > 1 else [run])
    return out


_ALPHABET = "政府信息公开申请复议年件〇 \t\n，。、（）《》0123456789０１２ABCabcＡé_-'\\" + "\u3000\u00a0"


@given(st.text(alphabet=_ALPHABET, max_size=60))
@settings(max_examples=400, deadline=None, derandomize=True)
def test_the_regex_tokenizer_follows_the_rules(text):
    assert search_tokens(text) == _reference_tokens(text)


@given(
    st.text(alphabet=_ALPHABET, max_size=40),
    st.text(alphabet=_ALPHABET, min_size=1, max_size=40),
    st.text(alphabet=_ALPHABET, max_size=40),
)
@settings(max_examples=300, deadline=None, derandomize=True)
def test_the_index_never_misses_a_term_the_recheck_accepts(prefix, text, suffix):
    """A query term occurring in a document has its phrase tokens at consecutive positions of the
    document's tokens (what the phrase query asks), so the index proposes every true hit. The term
    here stands between punctuation, as words do (digit and Latin runs match whole words only)."""
    document = f"{prefix}，{text}，{suffix}"
    doc_tokens = search_tokens(document)
    for term in parse_query(text):
        if not term.tokens:
            continue
        assert contains_term(document, term)
        n = len(term.tokens)
        found = any(tuple(doc_tokens[i : i + n]) == term.tokens for i in range(len(doc_tokens) - n + 1))
        assert found, (document, term)
