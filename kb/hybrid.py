"""Hybrid retrieval: dense and lexical candidate lists fused into one ranking."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, NamedTuple

import numpy as np

from kb.lexical import lexical_search
from kb.search import NO_FILTERS, Filters, Hit
from kb.store import IndexReader

Fusion = Literal["rrf", "weighted"]
class Scored(NamedTuple):
    """A ranked chunk: its fused score and, where that list found it, its dense and lexical scores."""

    chunk_id: int
    score: float
    dense: float | None
    lexical: float | None


@dataclass(frozen=True)
class FusionParams:
    """How the two lists are combined (chosen by measurement; see README, 'Retrieval quality')."""

    method: Fusion = "weighted"
    dense_weight: float = 0.5  # weighted: share of the dense score; rrf: weight of the dense list
    rrf_k: int = 60
    depth: int = 100  # candidates taken from each list


DEFAULT_FUSION = FusionParams()


def fuse(dense: list[tuple[int, float]], lexical: list[tuple[int, float]], params: FusionParams = DEFAULT_FUSION) -> list[Scored]:
    """One ranking from two: reciprocal-rank fusion, or a weighted sum of max-normalised scores."""
    dense_scores = dict(dense)
    lexical_scores = dict(lexical)
    fused: dict[int, float] = {}
    if params.method == "rrf":
        for weight, ranked in ((params.dense_weight, dense), (1 - params.dense_weight, lexical)):
            for rank, (chunk_id, _) in enumerate(ranked, start=1):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (params.rrf_k + rank)
    else:
        # Each list is scaled by its best score, so that neither scale dominates the sum.
        top_dense = max(dense_scores.values(), default=0.0) or 1.0
        top_lexical = max(lexical_scores.values(), default=0.0) or 1.0
        for chunk_id in dense_scores.keys() | lexical_scores.keys():
            dense_part = max(dense_scores.get(chunk_id, 0.0), 0.0) / top_dense
            lexical_part = lexical_scores.get(chunk_id, 0.0) / top_lexical
            fused[chunk_id] = params.dense_weight * dense_part + (1 - params.dense_weight) * lexical_part
    ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
    return [Scored(cid, score, dense_scores.get(cid), lexical_scores.get(cid)) for cid, score in ranked]


def hybrid_search(
    reader: IndexReader,
    query: str,
    vector: np.ndarray,
    *,
    k: int,
    filters: Filters = NO_FILTERS,
    params: FusionParams = DEFAULT_FUSION,
) -> list[Scored]:
    """Top-k chunk ids for a query by fused dense and lexical evidence, filters applied in both."""
    depth = max(params.depth, k)
    dense = reader.dense(vector, k=depth, filters=filters)
    lexical = lexical_search(reader, query, k=depth, filters=filters)
    # Keyword-only candidates get their true cosine too, so fusion and refusal see real evidence.
    seen = {cid for cid, _ in dense}
    extra = [cid for cid, _ in lexical if cid not in seen]
    if extra:
        stored = reader.stored_vectors(extra)
        dense = dense + [(cid, float(s)) for cid, s in zip(extra, stored @ vector.ravel(), strict=True)]
    return fuse(dense, lexical, params)[:k]


_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
REFERENCE_LIST_SHARE = 0.5  # a passage at least half of whose characters are web addresses lists sources


def is_reference_list(text: str) -> bool:
    """A passage that is mostly web addresses ("Sources: https://www.cypnow.co.uk/news/article/ofsted-praises-...").
    The words in its addresses' paths spell out headlines that match questions, but it never answers one."""
    return sum(len(m) for m in _ADDRESS.findall(text)) >= REFERENCE_LIST_SHARE * len(text)


def reference_lists_last(hits: Sequence[Hit], k: int) -> list[Hit]:
    """The top k, with lists of sources after every passage of text (ranks renumbered)."""
    ordered = sorted(hits, key=lambda h: is_reference_list(h.text))[:k]
    return [replace(h, rank=i) for i, h in enumerate(ordered, start=1)]
