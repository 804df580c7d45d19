"""Whether the corpus, its history and the index agree, and the repairs that make them agree (`kb check`).

The index may also hold documents from folders beyond the corpus (`kb ingest corpus other/`); those
disagree only when their file is gone.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from kb import store
from kb.documents import SUPPORTED_SUFFIXES, content_hash, doc_id_for
from kb.editing import HISTORY_DIR, interrupted_edit, one_edit_at_a_time, orphaned_scratch, recover_edit
from kb.embedding import Embedder, default_embedder
from kb.errors import IngestBusyError
from kb.ingest import discover, ingest, remove_documents

Kind = Literal["interrupted-edit", "scratch", "not-indexed", "outdated", "orphaned", "duplicate-id", "history"]


@dataclass(frozen=True)
class Disagreement:
    """One place where corpus, history and index disagree; `repaired` once a repair made them agree."""

    kind: Kind
    subject: str  # a document id, or a path inside the corpus or index folder
    detail: str
    repaired: bool = False


@dataclass(frozen=True)
class ConsistencyReport:
    """What `check_consistency` found (and repaired) among `documents` corpus files."""

    documents: int
    disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def unrepaired(self) -> list[Disagreement]:
        return [d for d in self.disagreements if not d.repaired]


def check_consistency(
    *, corpus_dir: Path, index_dir: Path, repair: bool = True, embedder_factory: Callable[[], Embedder] = default_embedder
) -> ConsistencyReport:
    """Every disagreement between the corpus files, `corpus/.history` and the index; with `repair`, an
    interrupted edit is finished or rolled back, leftovers removed and the corpus re-indexed first.

    Holds the edit lock throughout (IngestBusyError while an editor is changing the corpus)."""
    with one_edit_at_a_time(corpus_dir):
        found = _interrupted(corpus_dir, index_dir, repair=repair)
        found += _index_leftovers(index_dir, repair=repair)
        found += _history_problems(corpus_dir, repair=repair)
        files, disagreements = _corpus_against_index(corpus_dir, index_dir)
        if repair and disagreements:
            failures = _reindex(corpus_dir, index_dir, disagreements, embedder_factory)
            _, left = _corpus_against_index(corpus_dir, index_dir)
            remaining = {(d.kind, d.subject) for d in left}
            disagreements = [
                replace(d, repaired=(d.kind, d.subject) not in remaining, detail=failures.get(d.subject, d.detail))
                for d in disagreements
            ]
            disagreements += [d for d in left if (d.kind, d.subject) not in {(e.kind, e.subject) for e in disagreements}]
    return ConsistencyReport(documents=files, disagreements=found + disagreements)


def _interrupted(corpus_dir: Path, index_dir: Path, *, repair: bool) -> list[Disagreement]:
    """A half-done edit (its journal) and scratch folders no request owns."""
    found = [
        Disagreement("scratch", path.name, "left behind by an upload or preview that was killed")
        for path in orphaned_scratch(corpus_dir)
    ]
    pending = interrupted_edit(corpus_dir)
    if pending:
        found.append(Disagreement("interrupted-edit", ".upload-journal.json", pending))
    if not repair or not found:
        return found
    outcome = recover_edit(corpus_dir, index_dir)
    left = {path.name for path in orphaned_scratch(corpus_dir)}
    return [
        replace(d, detail=outcome or d.detail, repaired=True)
        if d.kind == "interrupted-edit"
        else replace(d, repaired=d.subject not in left)
        for d in found
    ]


def _index_leftovers(index_dir: Path, *, repair: bool) -> list[Disagreement]:
    """Half-written generations and model copies that a killed or failed ingest left in the index folder."""
    leftovers = sorted(index_dir.glob("gen-*.tmp")) + sorted(index_dir.glob("models/*.tmp")) if index_dir.is_dir() else []
    if not leftovers:
        return []
    repaired = False
    if repair:
        with suppress(IngestBusyError), store.ingest_lock(index_dir):  # an ingest under way owns them
            for path in leftovers:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
            repaired = True
    return [
        Disagreement("scratch", str(path.relative_to(index_dir)), "left behind by an ingest that was killed or failed",
                     repaired=repaired)  # fmt: skip
        for path in leftovers
    ]


def _history_problems(corpus_dir: Path, *, repair: bool) -> list[Disagreement]:
    """History folders that are empty, or whose version.json is missing (then the version is not offered for
    restore; a repair writes one from what the folder holds) or unreadable."""
    root = corpus_dir / HISTORY_DIR
    found: list[Disagreement] = []
    for document in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        versions = sorted(p for p in document.iterdir() if p.is_dir())
        for folder in versions:
            subject = str(folder.relative_to(corpus_dir))
            kept = [p for p in folder.iterdir() if p.name != "version.json"]
            if not kept:
                if repair:
                    shutil.rmtree(folder)
                found.append(Disagreement("history", subject, "an empty history folder", repaired=repair))
            elif not (folder / "version.json").exists():
                main = next((p for p in kept if p.suffix.lower() in SUPPORTED_SUFFIXES), None)
                if repair and main is not None:
                    _describe_version(folder, main)
                found.append(Disagreement("history", subject, "a kept version without version.json (not offered for "
                                          "restore)", repaired=repair and main is not None))  # fmt: skip
            else:
                try:
                    json.loads((folder / "version.json").read_text(encoding="utf-8"))["file_name"]
                except (OSError, ValueError, KeyError, TypeError):
                    found.append(Disagreement("history", subject, "its version.json cannot be read"))
        if repair:
            with suppress(OSError):
                document.rmdir()  # only when no version is left in it
        if not versions:
            subject = str(document.relative_to(corpus_dir))
            found.append(Disagreement("history", subject, "an empty history folder", repaired=not document.exists()))
    return found


def _describe_version(folder: Path, main: Path) -> None:
    """Write the version.json an interrupted archive did not get to, so the version can be restored."""
    try:
        saved = datetime.strptime(folder.name, "%Y%m%dT%H%M%S%fZ").isoformat(timespec="seconds")
    except ValueError:
        saved = datetime.fromtimestamp(main.stat().st_mtime).isoformat(timespec="seconds")
    entry = {"doc_id": folder.parent.name, "version": folder.name, "action": "recovered", "title": None,
             "file_name": main.name, "saved_at": saved}  # fmt: skip
    (folder / "version.json").write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")


def _corpus_against_index(corpus_dir: Path, index_dir: Path) -> tuple[int, list[Disagreement]]:
    """The corpus files counted, and each one not indexed or indexed from other bytes, each indexed document
    whose file is gone, and each id two files claim."""
    files, _, _, _ = discover([corpus_dir]) if corpus_dir.is_dir() else ([], [], [], [])
    generation = store.current_generation(index_dir)
    indexed = store.indexed_documents(generation) if generation else {}
    found: list[Disagreement] = []
    seen: dict[str, Path] = {}
    for path in files:
        doc_id, name = doc_id_for(path), str(path.relative_to(corpus_dir))
        if doc_id in seen:
            found.append(Disagreement("duplicate-id", name, f"its id {doc_id!r} is also {seen[doc_id].name}'s: rename one"))
            continue
        seen[doc_id] = path
        if doc_id not in indexed:
            found.append(Disagreement("not-indexed", doc_id, f"{name} is in the corpus but not in the index"))
        elif indexed[doc_id][0] != content_hash(path):
            found.append(Disagreement("outdated", doc_id, f"the index holds another version of {name}"))
    corpus = corpus_dir.resolve()
    for doc_id, (_, source) in sorted(indexed.items()):
        path = Path(source)
        if doc_id not in seen and (not path.exists() or path.resolve().is_relative_to(corpus)):
            found.append(Disagreement("orphaned", doc_id, f"indexed, but its file {path.name} is no longer there"))
    return len(files), found


def _reindex(
    corpus_dir: Path, index_dir: Path, disagreements: list[Disagreement], embedder_factory: Callable[[], Embedder]
) -> dict[str, str]:
    """Index the corpus again (new and changed files, gone ones removed) and drop indexed documents whose file
    outside the corpus is gone; the reasons files could not be indexed, by document id."""
    report = ingest([corpus_dir], index_dir=index_dir, embedder_factory=embedder_factory)
    orphaned = [d.subject for d in disagreements if d.kind == "orphaned" and d.subject not in report.removed]
    if orphaned:
        remove_documents(orphaned, index_dir=index_dir)
    return {doc_id_for(Path(f.path)): f"{Path(f.path).name} cannot be indexed: {f.reason}" for f in report.failed}
