"""Which files an ingest reads (links out of the corpus folder are left out and named), and what a full disk
leaves behind: nothing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kb.embedding import SentenceTransformerEmbedder
from kb.errors import StorageError
from kb.ingest import discover, ingest
from kb.onnx_model import onnx_file_name
from kb.settings import get_settings

from .conftest import CORPUS


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


def test_a_disk_that_fills_while_the_model_is_copied_into_the_index_keeps_no_partial_copy_or_generation(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = tmp_path / "disk"  # room for the index of one document, not for the model beside it
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True, check=False).returncode:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        cache = tmp_path / "cache"  # the export made once per machine, on another file system: copied, not linked
        cache.mkdir()
        (cache / onnx_file_name()).write_bytes(b"\0" * (8 << 20))
        monkeypatch.setenv("KB_CACHE_DIR", str(cache))
        get_settings.cache_clear()
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        shutil.copy(CORPUS / "journal-issue-6.md", corpus)
        with pytest.raises(StorageError, match="is full"):
            ingest([corpus], index_dir=disk / "index", embedder_factory=lambda: embedder)
        assert sorted(p.name for p in (disk / "index").rglob("*") if p.is_file()) == [".lock"]
    finally:
        get_settings.cache_clear()
        subprocess.run(["umount", "-l", str(disk)], check=False)
