"""Editors' changes to the corpus: add, preview, replace, re-describe, delete and restore documents; the index follows.

Nothing is lost by mistake: an upload whose document id is taken is refused unless it asks to replace,
and every replaced, re-described or deleted version (file and metadata sidecar) is moved into the
corpus's history (`corpus/.history/<doc_id>/<version>/`, which ingests never read), from where
`restore_document` brings it back.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, ParamSpec, TypeVar

import yaml

from kb.chunking import chunk_document
from kb.documents import SUPPORTED_SUFFIXES, check_date, check_doc_type, check_source, content_hash, doc_id_for, load_document
from kb.embedding import Embedder, default_embedder
from kb.errors import (
    ConflictError,
    DocumentError,
    IngestBusyError,
    InvalidInputError,
    NotFoundError,
    OutsideCorpusError,
    StorageError,
    UnknownDocumentError,
    is_disk_full,
)
from kb.ingest import IngestReport, Progress, ingest, remove_documents
from kb.markdown import parse_yaml_mapping
from kb.pdf import looks_like_pdf
from kb.settings import get_settings
from kb.store import current_generation, document_titles, indexed_documents
from kb.text_blocks import Document, sidecar_path

MAX_NAME_BYTES = 255 - len(".yaml")  # the file and its metadata sidecar must both fit a file name
HISTORY_DIR = ".history"
EDIT_LOCK = ".edit.lock"  # one editor's change to the corpus at a time
AUTHORS = "authors.json"  # in the history folder: who put each document's current version in place
JOURNAL = ".upload-journal.json"  # the edit under way: what a crash would leave half done (the name predates deletes)
SCRATCH_PREFIX = ".upload-"
SCRATCH_OWNER = ".owner"  # locked by the request that made the scratch folder, for as long as it runs
UNOWNED_SCRATCH_SECONDS = 60  # a scratch folder this old without an owner file was left by a killed request
EDITABLE_FIELDS = ("title", "doc_type", "date", "source", "publisher")
PREVIEW_PASSAGES = 3
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Version:
    """A document's earlier file and metadata, kept in the corpus history."""

    doc_id: str
    version: str
    action: str  # what put it there: replaced, deleted, re-described, restored-over
    title: str | None
    file_name: str
    saved_at: str
    editor: str | None = None  # the named editor whose change put it there (None: the shared key or the command line)
    added_by: str | None = None  # the named editor who had added, replaced, re-described or restored this version


@dataclass(frozen=True)
class Preview:
    """What an upload would become, before anything is saved: metadata, sections and first passages."""

    doc_id: str
    file_name: str
    title: str
    doc_type: str
    date: str | None
    source: str | None
    sections: list[str]
    passages: list[str]
    chunks: int
    replaces: str | None  # the title of the document it would replace, if its id is taken
    warnings: list[str]  # what would be indexed differently from what the file says


def safe_file_name(name: str) -> str:
    """A plain file name inside the corpus folder: no folders, no '..', no hidden files, not too long."""
    plain = Path(name.replace("\\", "/")).name
    if not name or plain != name or plain.startswith(".") or ".." in name or "\x00" in name:
        raise InvalidInputError(
            f"file name {name[:80]!r} is not allowed: give a plain name such as 'journal-issue-7.pdf', without folders"
        )
    size = len(plain.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        raise InvalidInputError(f"the file name is {size} bytes long; the limit is {MAX_NAME_BYTES} bytes: shorten it")
    if Path(plain).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InvalidInputError(f"file type of {plain[:80]!r} is not supported; expected one of {', '.join(SUPPORTED_SUFFIXES)}")
    return plain


def validate_metadata(metadata: dict[str, str | None]) -> dict[str, str]:
    """Title, doc_type, date, source and publisher as given by an editor; only known values pass."""
    unknown = sorted(set(metadata) - set(EDITABLE_FIELDS))
    if unknown:
        raise InvalidInputError(f"unknown metadata field {unknown[0]!r}; expected one of {', '.join(EDITABLE_FIELDS)}")
    clean = {k: v.strip() for k, v in metadata.items() if v and v.strip()}
    if "doc_type" in clean:
        clean["doc_type"] = check_doc_type(clean["doc_type"])  # an id, also when given by name
    if "date" in clean:
        check_date(clean["date"])
    if "source" in clean:
        check_source(clean["source"])
    return clean


# ---- the history --------------------------------------------------------------------------------


def history(corpus_dir: Path, doc_id: str | None = None) -> list[Version]:
    """Kept versions, newest first (of one document, or of all)."""
    root = corpus_dir / HISTORY_DIR
    folders = sorted(root.glob(f"{doc_id}/*" if doc_id else "*/*"), key=lambda p: p.name, reverse=True)
    versions = []
    for folder in folders:
        try:
            versions.append(Version(**json.loads((folder / "version.json").read_text(encoding="utf-8"))))
        except (OSError, ValueError, TypeError):
            continue  # a folder someone edited by hand: not offered
    return versions


def author_of(corpus_dir: Path, doc_id: str) -> str | None:
    """The named editor who put the current version of a document in place (None: unknown, or the shared key)."""
    try:
        authors = json.loads((corpus_dir / HISTORY_DIR / AUTHORS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = authors.get(doc_id) if isinstance(authors, dict) else None
    return name if isinstance(name, str) else None


def _note_author(corpus_dir: Path, doc_id: str, editor: str | None) -> None:
    """Remember who put a document's current version in place (written whole: a crash leaves the old map)."""
    path = corpus_dir / HISTORY_DIR / AUTHORS
    try:
        authors = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        authors = {}
    authors = {k: v for k, v in (authors if isinstance(authors, dict) else {}).items() if k != doc_id}
    if editor is not None:
        authors[doc_id] = editor
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f"{AUTHORS}.tmp")
    scratch.write_text(json.dumps(authors, ensure_ascii=False), encoding="utf-8")
    os.replace(scratch, path)


def _new_version() -> tuple[str, datetime]:
    now = datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%S%fZ"), now


def prune_history(corpus_dir: Path, *, keep: int | None = None, days: int | None = None) -> list[Version]:
    """Remove kept versions beyond the `keep` newest of each document or older than `days` days
    (defaults: KB_HISTORY_VERSIONS, KB_HISTORY_DAYS); the removed ones, newest first."""
    settings = get_settings()
    keep = keep or settings.history_versions
    days = settings.history_days if days is None else days
    cutoff = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y%m%dT%H%M%S%fZ") if days else ""
    removed: list[Version] = []
    by_document: dict[str, int] = {}
    for version in history(corpus_dir):  # newest first
        by_document[version.doc_id] = by_document.get(version.doc_id, 0) + 1
        if by_document[version.doc_id] > keep or version.version < cutoff:
            shutil.rmtree(corpus_dir / HISTORY_DIR / version.doc_id / version.version, ignore_errors=True)
            with suppress(OSError):
                (corpus_dir / HISTORY_DIR / version.doc_id).rmdir()  # its last version: no empty folder stays
            removed.append(version)
    return removed


def _archive(
    files: list[Path],
    *,
    corpus_dir: Path,
    doc_id: str,
    title: str | None,
    action: str,
    keep: bool = False,
    version: tuple[str, datetime] | None = None,
    editor: str | None = None,
) -> Version:
    """Move (or copy, with keep=True) a document's file and sidecar into a new history version.

    Its version.json is written last: a folder without one is an archive a crash interrupted."""
    version_name, now = version or _new_version()
    folder = corpus_dir / HISTORY_DIR / doc_id / version_name
    folder.mkdir(parents=True)
    main = next(f for f in files if f.suffix.lower() in SUPPORTED_SUFFIXES)
    for path in files:
        (shutil.copy2 if keep else shutil.move)(path, folder / path.name)
    saved_at = now.isoformat(timespec="seconds")
    entry = Version(doc_id, version_name, action, title, main.name, saved_at, editor, author_of(corpus_dir, doc_id))
    (folder / "version.json").write_text(json.dumps(asdict(entry), ensure_ascii=False), encoding="utf-8")
    return entry


# ---- what the corpus holds ----------------------------------------------------------------------


def _document_files(doc_id: str, corpus_dir: Path) -> list[Path]:
    """The corpus files (with their sidecars) whose document id is `doc_id`."""
    found = []
    for path in sorted(corpus_dir.iterdir()) if corpus_dir.is_dir() else []:
        if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and doc_id_for(path) == doc_id:
            found.append(path)
            if sidecar_path(path).exists():
                found.append(sidecar_path(path))
    return found


def in_corpus(doc_id: str, corpus_dir: Path) -> bool:
    """Is the document's file in the corpus folder (so that deleting it keeps a version to restore)?"""
    return bool(_document_files(doc_id, corpus_dir))


def _refuse_outside_corpus(doc_id: str, index_dir: Path, what: str) -> None:
    """ConflictError for a document indexed from a file outside the corpus folder (`kb ingest PATH`), saying so."""
    generation = current_generation(index_dir)
    indexed = indexed_documents(generation).get(doc_id) if generation else None
    if indexed is not None:
        title = _indexed_title(doc_id, index_dir)
        raise OutsideCorpusError(
            f"“{title}” was indexed from {Path(indexed[1]).name}, a file outside the corpus folder, and {what}: "
            "add the file through the editors' page (or copy it into the corpus folder and run kb ingest), then edit it"
        )


def _indexed_title(doc_id: str, index_dir: Path) -> str | None:
    generation = current_generation(index_dir)
    return document_titles(generation).get(doc_id) if generation else None


def _ingest_file(
    target: Path,
    *,
    index_dir: Path,
    embedder_factory: Callable[[], Embedder],
    document: Document | None = None,
    on_progress: Progress | None = None,
) -> IngestReport:
    preloaded = {target: replace(document, path=str(target))} if document is not None else None
    report = ingest(
        [target], index_dir=index_dir, embedder_factory=embedder_factory, preloaded=preloaded, on_progress=on_progress
    )
    if report.failed:
        raise DocumentError(target.name, report.failed[0].reason)
    return report


# ---- one edit at a time, and edits a crash interrupted --------------------------------------------


@contextmanager
def one_edit_at_a_time(corpus_dir: Path) -> Iterator[None]:
    """Hold the corpus's edit lock; a second edit at the same moment gets IngestBusyError (409), never a
    half-archived document."""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    with open(corpus_dir / EDIT_LOCK, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestBusyError("another editor is changing the corpus right now; try again in a moment") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _edits_one_at_a_time(change: Callable[P, R]) -> Callable[P, R]:
    """Run an editing operation (given `corpus_dir=` by keyword) under the corpus's edit lock."""

    @functools.wraps(change)
    def locked(*args: P.args, **kwargs: P.kwargs) -> R:
        with one_edit_at_a_time(Path(str(kwargs["corpus_dir"]))):
            return change(*args, **kwargs)

    return locked


@dataclass(frozen=True)
class Edit:
    """The journal's record of an edit under way: what the corpus and the index hold once it is done.

    Every edit runs in the same order: journal, archive the `replaced` files into history `version`,
    write the new `files` into the corpus, update the index, drop the journal. So a crash at any moment
    is either finished (the index holds `content_hash` for the document and the corpus file matches it)
    or rolled back (the new files go, the archived ones come back)."""

    kind: Literal["upload", "re-describe", "restore", "delete"]
    doc_id: str
    content_hash: str | None  # what the index holds for doc_id once the edit is done; None: nothing (a delete)
    files: list[str]  # the document's corpus files once done, the indexed one first
    replaced: list[str]  # its corpus files before, archived (moved; copied for a re-describe)
    version: str | None  # the history version they are archived in (None: nothing to archive)
    scratch: str | None = None  # an upload's scratch folder in the corpus

    def describe(self) -> str:
        if self.kind == "upload":
            return f"upload of {self.files[0]}"
        what = {"re-describe": "change to the metadata", "restore": "restore", "delete": "deletion"}[self.kind]
        return f"{what} of {self.doc_id}"


def _write_journal(corpus_dir: Path, edit: Edit) -> None:
    """Record the edit about to change the corpus (written whole or not at all)."""
    scratch = corpus_dir / f"{JOURNAL}.tmp"
    try:
        with open(scratch, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(edit), ensure_ascii=False))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(scratch, corpus_dir / JOURNAL)
    except OSError:
        scratch.unlink(missing_ok=True)
        raise


@contextmanager
def _full_disk_said_plainly(corpus_dir: Path, what: str) -> Iterator[None]:
    """A full disk during an edit is a StorageError (503) that says nothing was changed, not an OSError (500)."""
    try:
        yield
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        raise StorageError(f"the disk holding {corpus_dir} is full: {what}; free some space and try again") from None


def _read_journal(corpus_dir: Path) -> Edit:
    """The journalled edit (a journal written before edits had kinds is an upload's)."""
    entry = json.loads((corpus_dir / JOURNAL).read_text(encoding="utf-8"))
    edit = Edit(**{"kind": "upload", **entry})
    if edit.kind not in ("upload", "re-describe", "restore", "delete") or not isinstance(edit.files, list):
        raise ValueError(f"unknown edit {edit.kind!r}")
    return edit


@contextmanager
def _journalled(edit: Edit, corpus_dir: Path) -> Iterator[None]:
    """Journal an edit while it runs: an error rolls it back at once, a crash leaves it to `recover_edit`."""
    with _full_disk_said_plainly(corpus_dir, f"the {edit.describe()} changed nothing"):
        _write_journal(corpus_dir, edit)
        try:
            yield
        except BaseException:
            _roll_back(edit, corpus_dir)
            (corpus_dir / JOURNAL).unlink(missing_ok=True)
            raise
    (corpus_dir / JOURNAL).unlink()
    prune_history(corpus_dir)  # every edit keeps the history within its limits


def _is_done(edit: Edit, corpus_dir: Path, index_dir: Path) -> bool:
    """Whether the index (and the corpus file it was read from) hold what the edit was making."""
    generation = current_generation(index_dir)
    indexed = indexed_documents(generation).get(edit.doc_id) if generation else None
    if (indexed[0] if indexed else None) != edit.content_hash:
        return False
    main = corpus_dir / edit.files[0] if edit.files else None
    return edit.content_hash is None or (main is not None and main.is_file() and content_hash(main) == edit.content_hash)


def _roll_back(edit: Edit, corpus_dir: Path) -> None:
    """Put the corpus back as it was before the edit (its index was not changed)."""
    folder = corpus_dir / HISTORY_DIR / edit.doc_id / edit.version if edit.version else None
    archived = folder is not None and (folder / "version.json").exists()
    if folder is None or archived:  # anything new was written after the archive was complete
        for name in edit.files:
            (corpus_dir / name).unlink(missing_ok=True)
    if folder is not None and folder.is_dir():
        for path in folder.iterdir():
            if path.name == "version.json":
                continue
            if archived or not (corpus_dir / path.name).exists():
                shutil.move(path, corpus_dir / path.name)
            # else: a copy the interrupted archive made; the corpus still holds the original
        shutil.rmtree(folder)
        with suppress(OSError):
            folder.parent.rmdir()  # the document's history, if this was its only version


def recover_edit(corpus_dir: Path, index_dir: Path) -> str | None:
    """Finish or roll back an edit that a crash interrupted, so that corpus and index agree; say which.

    Also removes scratch folders no request owns any more. The caller holds the edit lock."""
    remove_orphaned_scratch(corpus_dir)
    if not (corpus_dir / JOURNAL).exists():
        return None
    try:
        edit = _read_journal(corpus_dir)
    except (OSError, ValueError, TypeError):
        (corpus_dir / JOURNAL).unlink()
        return "an unreadable edit journal was removed"
    if _is_done(edit, corpus_dir, index_dir):
        outcome = f"the interrupted {edit.describe()} had reached the index: finished"
    else:
        _roll_back(edit, corpus_dir)
        outcome = f"the interrupted {edit.describe()} had not reached the index: rolled back (corpus and index agree)"
    if edit.scratch:
        shutil.rmtree(corpus_dir / Path(edit.scratch).name, ignore_errors=True)
    (corpus_dir / JOURNAL).unlink()
    prune_history(corpus_dir)
    return outcome


def interrupted_edit(corpus_dir: Path) -> str | None:
    """What the journal says is half done (without touching it), or None."""
    if not (corpus_dir / JOURNAL).exists():
        return None
    try:
        return f"an interrupted {_read_journal(corpus_dir).describe()}"
    except (OSError, ValueError, TypeError):
        return "an unreadable edit journal"


def recover_interrupted(corpus_dir: Path, index_dir: Path) -> str | None:
    """`recover_edit` when no edit is under way (at start, before `kb ingest`); None when busy or nothing to do."""
    if not (corpus_dir / JOURNAL).exists() and not orphaned_scratch(corpus_dir):
        return None
    try:
        with one_edit_at_a_time(corpus_dir):
            return recover_edit(corpus_dir, index_dir)
    except IngestBusyError:
        return None  # the edit under way recovers first


def orphaned_scratch(corpus_dir: Path) -> list[Path]:
    """Scratch folders (a preview's or an upload's) whose request has ended without removing them, and a
    journal a crash left half written. A running request holds a lock on its folder's OWNER file."""
    found = [p for p in [corpus_dir / f"{JOURNAL}.tmp"] if p.is_file()]
    for folder in sorted(corpus_dir.glob(f"{SCRATCH_PREFIX}*")) if corpus_dir.is_dir() else []:
        if not folder.is_dir():
            continue
        owner = folder / SCRATCH_OWNER
        try:
            if not owner.exists():  # made a moment ago (the lock comes next), or by a request killed at once
                if folder.stat().st_mtime < time.time() - UNOWNED_SCRATCH_SECONDS:
                    found.append(folder)
                continue
            with open(owner, "a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(handle, fcntl.LOCK_UN)
            found.append(folder)
        except BlockingIOError:
            continue  # its request is still running
        except OSError:
            continue  # gone meanwhile
    return found


def remove_orphaned_scratch(corpus_dir: Path) -> list[Path]:
    """Remove what `orphaned_scratch` finds; the removed paths."""
    found = orphaned_scratch(corpus_dir)
    for path in found:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return found


# ---- the editors' operations --------------------------------------------------------------------


@contextmanager
def _staged(name: str, content: bytes, metadata: dict[str, str | None], corpus_dir: Path) -> Iterator[Path]:
    """The upload (name, size and metadata checked) written to a scratch folder inside the corpus, with its
    metadata as a sidecar; the folder goes when the block ends."""
    plain = safe_file_name(name)
    limit_mb = get_settings().max_upload_mb
    if len(content) > limit_mb * 1024 * 1024:
        raise InvalidInputError(f"{plain} is {len(content) / 1e6:.1f} MB; the limit is {limit_mb:g} MB (KB_MAX_UPLOAD_MB)")
    clean = validate_metadata(metadata)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    with (
        _full_disk_said_plainly(corpus_dir, f"{plain} was not saved"),
        tempfile.TemporaryDirectory(dir=corpus_dir, prefix=SCRATCH_PREFIX) as scratch,
        open(Path(scratch) / SCRATCH_OWNER, "w") as owner,
    ):
        fcntl.flock(owner, fcntl.LOCK_EX)  # released when the request ends, however it ends
        staged = Path(scratch) / plain
        staged.write_bytes(content)
        if clean:
            sidecar_path(staged).write_text(yaml.safe_dump(clean, allow_unicode=True, sort_keys=False), encoding="utf-8")
        yield staged


def _load_named(path: Path) -> Document:
    """Load a staged file; its errors name the file, never the server's scratch folder."""
    try:
        return load_document(path)
    except DocumentError as exc:
        raise DocumentError(path.name, exc.reason) from None
    except OSError as exc:
        raise DocumentError(path.name, f"cannot be read ({exc.strerror or type(exc).__name__})") from None


def preview_document(name: str, content: bytes, metadata: dict[str, str | None], *, corpus_dir: Path, index_dir: Path) -> Preview:
    """What an upload would be indexed as (sections, first passages), and what it would replace; nothing is saved."""
    with _staged(name, content, metadata, corpus_dir) as staged:
        document = _load_named(staged)
        chunks = chunk_document(document)
    sections = list(dict.fromkeys(c.section for c in chunks if c.section))
    files = _document_files(document.doc_id, corpus_dir)
    taken = _indexed_title(document.doc_id, index_dir) or (files[0].name if files else None)
    return Preview(
        doc_id=document.doc_id,
        file_name=staged.name,
        title=document.title,
        doc_type=document.doc_type,
        date=document.date,
        source=document.source,
        sections=sections,
        passages=[c.text for c in chunks[:PREVIEW_PASSAGES]],
        chunks=len(chunks),
        replaces=taken,
        warnings=list(document.warnings),
    )


def _refuse_taken(doc_id: str, *, corpus_dir: Path, index_dir: Path) -> None:
    """ConflictError if a document with this id is in the corpus or the index."""
    current, title = _document_files(doc_id, corpus_dir), _indexed_title(doc_id, index_dir)
    if current or title:
        what = f"{title!r} ({current[0].name})" if title and current else repr(title) if title else current[0].name
        raise ConflictError(f"a document with id {doc_id!r} already exists: {what}")


def check_upload(
    name: str, content: bytes, metadata: dict[str, str | None], *, corpus_dir: Path, index_dir: Path, replace: bool
) -> str:
    """What can be refused before a file is read (its name and type, size, metadata, and an id already taken
    unless `replace`), so an upload queued to run in the background is refused at once for these; its id."""
    plain = safe_file_name(name)
    limit_mb = get_settings().max_upload_mb
    if len(content) > limit_mb * 1024 * 1024:
        raise InvalidInputError(f"{plain} is {len(content) / 1e6:.1f} MB; the limit is {limit_mb:g} MB (KB_MAX_UPLOAD_MB)")
    if not content or content.isspace():  # no copy of an upload of up to KB_MAX_UPLOAD_MB
        raise InvalidInputError(f"{plain} is empty: there is no text to index")
    if Path(plain).suffix.lower() == ".pdf" and not looks_like_pdf(content):
        raise InvalidInputError(f"{plain} is not a PDF: it does not begin with '%PDF-' (another kind of file renamed .pdf?)")
    validate_metadata(metadata)
    doc_id = doc_id_for(Path(plain))
    if not replace:
        _refuse_taken(doc_id, corpus_dir=corpus_dir, index_dir=index_dir)
    return doc_id


def add_document(
    name: str,
    content: bytes,
    metadata: dict[str, str | None],
    *,
    corpus_dir: Path,
    index_dir: Path,
    replace: bool = False,
    embedder_factory: Callable[[], Embedder] = default_embedder,
    editor: str | None = None,
    on_progress: Progress | None = None,
) -> IngestReport:
    """Check an upload, save it (with its metadata as a sidecar) into the corpus and index it.

    An upload whose document id is already taken is refused unless `replace`; the replaced file and
    metadata go to the history (the new version takes only the metadata given with it and what its own
    file says). A file that cannot be read changes nothing; a failed index restores the previous files.
    """
    with _staged(name, content, metadata, corpus_dir) as staged:
        document = _load_named(staged)
        with one_edit_at_a_time(corpus_dir):
            recover_edit(corpus_dir, index_dir)
            report = _save_and_index(document, staged, corpus_dir=corpus_dir, index_dir=index_dir, replace=replace,
                                     embedder_factory=embedder_factory, editor=editor, on_progress=on_progress)  # fmt: skip
            _note_author(corpus_dir, document.doc_id, editor)
            return report


def _save_and_index(
    document: Document,
    staged: Path,
    *,
    corpus_dir: Path,
    index_dir: Path,
    replace: bool,
    embedder_factory: Callable[[], Embedder],
    editor: str | None = None,
    on_progress: Progress | None = None,
) -> IngestReport:
    """Move a read upload into the corpus (archiving what it replaces) and index it, journalled so that a
    crash at any moment is finished or rolled back by `recover_edit`. The caller holds the edit lock."""
    current = _document_files(document.doc_id, corpus_dir)
    title = _indexed_title(document.doc_id, index_dir)
    if not replace:
        _refuse_taken(document.doc_id, corpus_dir=corpus_dir, index_dir=index_dir)
    target = corpus_dir / staged.name
    has_sidecar = sidecar_path(staged).exists()
    version = _new_version()
    edit = Edit(
        kind="upload",
        doc_id=document.doc_id,
        content_hash=document.content_hash,
        files=[target.name] + ([sidecar_path(target).name] if has_sidecar else []),
        replaced=[p.name for p in current],
        version=version[0] if current else None,
        scratch=staged.parent.name,
    )
    with _journalled(edit, corpus_dir):
        if current:
            _archive(current, corpus_dir=corpus_dir, doc_id=document.doc_id, title=title, action="replaced", version=version,
                     editor=editor)  # fmt: skip
        shutil.move(staged, target)
        if has_sidecar:
            shutil.move(sidecar_path(staged), sidecar_path(target))
        # Same id: the entry (and its path) is replaced, even when the old file had another name. The staged
        # file was read above; the same bytes now in the corpus are not parsed again.
        return _ingest_file(
            target, index_dir=index_dir, embedder_factory=embedder_factory, document=document, on_progress=on_progress
        )


@_edits_one_at_a_time
def update_metadata(
    doc_id: str,
    metadata: dict[str, str | None],
    *,
    corpus_dir: Path,
    index_dir: Path,
    embedder_factory: Callable[[], Embedder] = default_embedder,
    editor: str | None = None,
) -> IngestReport:
    """Change a document's title, type, date, source or publisher (written to its sidecar, which wins over
    front matter); the previous version is kept in the history. A field given empty ("date": "") drops an editor's
    correction of it: the document takes back what its file says (a title is never empty)."""
    clean = validate_metadata(metadata)
    cleared = [k for k, v in metadata.items() if v is not None and not v.strip()]  # fields known: validated above
    if "title" in cleared:
        raise InvalidInputError("the title cannot be empty: give the new title, or leave the field out to keep it")
    if not clean and not cleared:
        raise InvalidInputError(f"nothing to change: give at least one of {', '.join(EDITABLE_FIELDS)}")
    files = _document_files(doc_id, corpus_dir)
    if not files:
        _refuse_outside_corpus(doc_id, index_dir, "its details can be corrected only for a file in the corpus folder")
        raise UnknownDocumentError(f"no document with id {doc_id!r} in the corpus")
    target, sidecar = files[0], sidecar_path(files[0])
    previous = parse_yaml_mapping(sidecar, sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
    updated = {**{k: v for k, v in previous.items() if k not in cleared}, **clean}
    if updated == previous and cleared:
        own = " and ".join(k.replace("_", " ") for k in cleared)
        raise InvalidInputError(
            f"nothing to change: the {own} is what the file itself gives, not a correction to drop "
            "(an emptied field takes back the file's own value; it cannot remove one the file gives)"
        )
    text = yaml.safe_dump(updated, allow_unicode=True, sort_keys=False)
    version = _new_version()
    edit = Edit(
        kind="re-describe",
        doc_id=doc_id,
        content_hash=content_hash(target, sidecar=text.encode("utf-8")),
        files=[target.name, sidecar.name],
        replaced=[p.name for p in files],
        version=version[0],
    )
    with _journalled(edit, corpus_dir):
        title = _indexed_title(doc_id, index_dir)
        _archive(files, corpus_dir=corpus_dir, doc_id=doc_id, title=title, action="re-described", keep=True, version=version,
                 editor=editor)  # fmt: skip
        sidecar.write_text(text, encoding="utf-8")
        report = _ingest_file(target, index_dir=index_dir, embedder_factory=embedder_factory)
    _note_author(corpus_dir, doc_id, editor)
    return report


@_edits_one_at_a_time
def delete_document(doc_id: str, *, corpus_dir: Path, index_dir: Path, editor: str | None = None) -> IngestReport:
    """Remove a document from the index and move its file (and sidecar) into the history."""
    title = _indexed_title(doc_id, index_dir)
    if title is None:
        raise UnknownDocumentError(f"no document with id {doc_id!r} in the index")
    files = _document_files(doc_id, corpus_dir)
    version = _new_version()
    edit = Edit(
        kind="delete",
        doc_id=doc_id,
        content_hash=None,
        files=[],
        replaced=[p.name for p in files],
        version=version[0] if files else None,
    )
    with _journalled(edit, corpus_dir):
        if files:
            _archive(files, corpus_dir=corpus_dir, doc_id=doc_id, title=title, action="deleted", version=version, editor=editor)
        report = remove_documents([doc_id], index_dir=index_dir)
    _note_author(corpus_dir, doc_id, None)
    return report


@_edits_one_at_a_time
def restore_document(
    doc_id: str,
    *,
    corpus_dir: Path,
    index_dir: Path,
    version: str | None = None,
    embedder_factory: Callable[[], Embedder] = default_embedder,
    editor: str | None = None,
) -> tuple[Version, IngestReport]:
    """Bring back a kept version (the newest unless `version` is given); what it replaces goes to the history."""
    versions = history(corpus_dir, doc_id)
    if not versions:
        raise NotFoundError(f"no kept version of {doc_id!r} in the corpus history")
    chosen = next((v for v in versions if v.version == version), None) if version else versions[0]
    if chosen is None:
        raise NotFoundError(f"no version {version!r} of {doc_id!r}; kept versions: {', '.join(v.version for v in versions)}")
    folder = corpus_dir / HISTORY_DIR / doc_id / chosen.version
    kept = [p for p in folder.iterdir() if p.name != "version.json"]
    current = _document_files(doc_id, corpus_dir)
    displaced = _new_version()
    edit = Edit(
        kind="restore",
        doc_id=doc_id,
        content_hash=content_hash(folder / chosen.file_name),
        files=[chosen.file_name] + [p.name for p in kept if p.name != chosen.file_name],
        replaced=[p.name for p in current],
        version=displaced[0] if current else None,
    )
    with _journalled(edit, corpus_dir):
        if current:
            title = _indexed_title(doc_id, index_dir)
            _archive(current, corpus_dir=corpus_dir, doc_id=doc_id, title=title, action="restored-over", version=displaced,
                     editor=editor)  # fmt: skip
        for path in kept:
            shutil.copy2(path, corpus_dir / path.name)
        report = _ingest_file(corpus_dir / chosen.file_name, index_dir=index_dir, embedder_factory=embedder_factory)
    _note_author(corpus_dir, doc_id, editor)
    return chosen, report
