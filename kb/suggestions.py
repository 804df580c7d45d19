"""Suggested questions for the empty chat page, drawn from the models and themes the corpus covers."""

from __future__ import annotations

from threading import Lock

from kb.knowledge_base import KnowledgeBase, ask

MAX_SUGGESTIONS = 6
_cache: dict[str, tuple[str, list[str]]] = {}  # index folder -> (index version, its questions): the live version only
_lock = Lock()


def _lower_first(name: str) -> str:
    """'Leadership and culture change' -> 'leadership and culture change' (an acronym stays as it is)."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def candidate_questions(facets: dict[str, list[dict[str, object]]]) -> list[str]:
    """'What is <model>?' for each model with passages, then the themes with the most passages."""
    models = [f"What is {m['name']}?" for m in facets["models"] if int(str(m["count"]))]
    themes = sorted((t for t in facets["themes"] if int(str(t["count"]))), key=lambda t: -int(str(t["count"])))
    return models + [f"What has been learnt about {_lower_first(str(t['name']))}?" for t in themes]


def suggested_questions(kb: KnowledgeBase, *, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Up to `limit` candidate questions that the knowledge base answers (a suggestion never leads to a refusal).

    Worked out once per index version: asking them takes a few milliseconds each.
    """
    folder, version = str(kb.index_dir), kb.index_version() or ""
    with _lock:
        if folder in _cache and _cache[folder][0] == version:
            return _cache[folder][1]
    chosen: list[str] = []
    with kb.snapshot() as snap:
        for question in candidate_questions(kb.facets()):
            if len(chosen) >= limit:
                break
            if ask(kb, question, snap=snap).confident:
                chosen.append(question)
    with _lock:
        _cache[folder] = (version, chosen)
    return chosen
