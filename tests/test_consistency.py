"""`kb check`: every disagreement between corpus, history and index is found, and repaired where it can be."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from typer.testing import CliRunner

from cli import app
from kb.consistency import check_consistency
from kb.documents import content_hash
from kb.editing import JOURNAL, history
from kb.embedding import SentenceTransformerEmbedder
from kb.ingest import ingest
from kb.store import current_generation, indexed_documents

from .conftest import CORPUS

NOTE = "# A note no index has seen\n\nFamily group conferences bring the wider family together.\n"


def indexed(index: Path) -> dict[str, str]:
    generation = current_generation(index)
    assert generation is not None
    return {doc_id: digest for doc_id, (digest, _) in indexed_documents(generation).items()}


def make_every_disagreement(corpus: Path, index: Path) -> None:
    """A corpus and index that disagree in every way `kb check` knows, as crashes and hands leave them."""
    (corpus / "new-note.md").write_text(NOTE)  # in the corpus, not indexed
    with open(corpus / "journal-issue-6.md", "a") as handle:  # indexed from other bytes
        handle.write("\nA paragraph added by hand.\n")
    (corpus / "sfpc-programme-case-study.md").unlink()  # indexed, file gone
    (corpus / ".history" / "gone-doc" / "20250101T000000000000Z").mkdir(parents=True)  # empty version folder
    unlabelled = corpus / ".history" / "transcript-macalister-trowler" / "20250102T000000000000Z"
    unlabelled.mkdir(parents=True)
    (unlabelled / "transcript-macalister-trowler.md").write_text("# Old transcript\n\nText.\n")  # no version.json
    for scratch in (corpus / ".upload-killed", corpus / ".upload-ended"):
        scratch.mkdir()
        (scratch / "upload.md").write_text("half")
    (corpus / ".upload-ended" / ".owner").write_text("")  # its request ended (nobody holds the lock)
    os.utime(corpus / ".upload-killed", (0, 0))  # killed before it could take the lock, long ago
    (corpus / "draft-issue-7.md").write_text("# Draft\n\nNever indexed.\n")  # an add killed before the index changed
    journal = {"kind": "upload", "doc_id": "draft-issue-7", "content_hash": content_hash(corpus / "draft-issue-7.md"),
               "files": ["draft-issue-7.md"], "replaced": [], "version": None, "scratch": None}  # fmt: skip
    (corpus / JOURNAL).write_text(json.dumps(journal))
    (index / "gen-000099.tmp").mkdir()  # a generation an ingest was writing when it was killed


def test_check_reports_every_disagreement_and_repairs_them_until_corpus_history_and_index_agree(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)
    make_every_disagreement(corpus, index)

    found = check_consistency(corpus_dir=corpus, index_dir=index, repair=False)
    seen = {(d.kind, d.subject) for d in found.disagreements}
    assert seen == {
        ("not-indexed", "new-note"),
        ("not-indexed", "draft-issue-7"),  # until the interrupted upload is rolled back
        ("outdated", "journal-issue-6"),
        ("orphaned", "sfpc-programme-case-study"),
        ("history", ".history/gone-doc/20250101T000000000000Z"),
        ("history", ".history/transcript-macalister-trowler/20250102T000000000000Z"),
        ("scratch", ".upload-killed"),
        ("scratch", ".upload-ended"),
        ("scratch", "gen-000099.tmp"),
        ("interrupted-edit", ".upload-journal.json"),
    }
    assert found.unrepaired == found.disagreements and (corpus / JOURNAL).exists()  # a report changes nothing

    repaired = check_consistency(corpus_dir=corpus, index_dir=index, repair=True, embedder_factory=lambda: embedder)
    assert repaired.unrepaired == [], repaired.unrepaired
    assert ("not-indexed", "draft-issue-7") not in {(d.kind, d.subject) for d in repaired.disagreements}
    assert not (corpus / "draft-issue-7.md").exists() and not (corpus / JOURNAL).exists()
    assert indexed(index) == {p.stem: content_hash(p) for p in corpus.glob("*.md")} | {
        "programme-overview": content_hash(corpus / "programme-overview.pdf")
    }
    assert not list(corpus.glob(".upload-*")) and not list(index.glob("gen-*.tmp"))
    assert not (corpus / ".history" / "gone-doc").exists()
    assert [v.action for v in history(corpus, "transcript-macalister-trowler")] == ["recovered"]  # restorable again
    assert check_consistency(corpus_dir=corpus, index_dir=index).disagreements == []


def test_kb_check_prints_each_disagreement_and_exits_1_while_one_remains(kb_env: Path) -> None:
    runner = CliRunner()
    shutil.copytree(CORPUS, kb_env / "corpus")
    assert runner.invoke(app, ["ingest"]).exit_code == 0
    agreed = runner.invoke(app, ["check"])
    assert agreed.exit_code == 0 and "corpus (6 files), history and index agree" in agreed.output, agreed.output

    (kb_env / "corpus" / "empty [red].md").write_text("")  # cannot be indexed: no repair can make it agree
    (kb_env / "corpus" / "new-note.md").write_text(NOTE)
    reported = runner.invoke(app, ["check", "--no-repair", "--json"])
    assert reported.exit_code == 1
    payload = json.loads(reported.stdout)
    assert payload["unrepaired"] == 2 and {d["subject"] for d in payload["disagreements"]} == {"empty-red", "new-note"}

    repaired = runner.invoke(app, ["check"])
    assert repaired.exit_code == 1 and "Traceback" not in repaired.output
    assert "repaired: not-indexed new-note" in repaired.output
    assert "disagrees: not-indexed empty-red: empty [red].md cannot be indexed" in repaired.output
    assert "2 disagreements, 1 repaired, 1 left" in repaired.output
