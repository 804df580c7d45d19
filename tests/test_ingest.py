"""Which files an ingest reads: links out of the corpus folder are left out and named."""

from __future__ import annotations

from pathlib import Path

from kb.ingest import discover


def test_a_link_out_of_the_corpus_folder_is_skipped_with_a_line_saying_so(tmp_path: Path) -> None:
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "secrets"
    corpus.mkdir()
    elsewhere.mkdir()
    (elsewhere / "passwd.md").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (corpus / "guide.md").write_text("# Guide\n\nText.\n")
    (corpus / "passwd.md").symlink_to(elsewhere / "passwd.md")
    (corpus / "shelf").symlink_to(elsewhere, target_is_directory=True)
    (corpus / "same.md").symlink_to(corpus / "guide.md")  # a link inside the folder is the folder's own
    files, _, _, skipped = discover([corpus])
    assert sorted(f.name for f in files) == ["guide.md", "same.md"]
    assert {Path(s.path).name for s in skipped} >= {"passwd.md"}
    assert all("a link to a file outside corpus/" in s.reason for s in skipped)
