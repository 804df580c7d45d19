"""Keyword search with SQLite FTS5 (bm25, porter stemming), with taxonomy expansion of the query."""

from __future__ import annotations

import re

from kb.search import NO_FILTERS, Filters
from kb.store import IndexReader
from kb.taxonomy import expand_query

# Column weights for bm25(): passage text, document title, section path, tag names.
COLUMN_WEIGHTS = (1.0, 0.3, 2.0, 0.2)
STOPWORDS = frozenset(
    "a an and are as at be been but by can could did do does for from had has have how i if in into is it its "
    "me my of on or our so than that the their them then there these they this to was we were what when where "
    "which who whom why will with would you your about also any more most other some such".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)


def match_expression(query: str, *, expand: bool = True) -> str:
    """An FTS5 MATCH expression: any query word, or any expansion phrase (all quoted, so no syntax leaks)."""
    words = [w for w in _WORD.findall(query.lower()) if w not in STOPWORDS]
    terms = [f'"{w}"' for w in dict.fromkeys(words)]
    if expand:
        for phrase in expand_query(query):
            tokens = _WORD.findall(phrase.lower())
            if tokens:
                terms.append('"' + " ".join(tokens) + '"')
    return " OR ".join(dict.fromkeys(terms))


def lexical_search(
    reader: IndexReader, query: str, *, k: int, filters: Filters = NO_FILTERS, expand: bool = True
) -> list[tuple[int, float]]:
    """(chunk_id, bm25 score) pairs, best first (scores negated so that higher is better)."""
    expression = match_expression(query, expand=expand)
    if not expression:
        return []
    return reader.lexical(expression, k=k, weights=COLUMN_WEIGHTS, filters=filters)
