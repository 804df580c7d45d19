"""Errors the library raises; each shell maps them once (CLI: message + exit 1, API: JSON 4xx).

Messages describe the problem ("no index in ...: it has not been built from the corpus yet"); each
shell adds what to do in its own terms (a command, an API call)."""

import errno


class KBError(Exception):
    """Base class for every error a user can act on."""


class IndexMissingError(KBError):
    """No index has been built yet in the index directory."""


class IndexMismatchError(KBError):
    """The index was built with another model or chunker version, or its files are damaged."""


class DocumentError(KBError):
    """A source file could not be turned into text (encrypted, corrupt, empty, no text layer...)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class InvalidInputError(KBError, ValueError):
    """A request or option has a value outside what is valid; the message lists what is."""


class NotFoundError(KBError):
    """A named document does not exist in the index."""


class UnknownDocumentError(NotFoundError):
    """No document with the given id is in the index."""


class ConflictError(KBError):
    """The change would overwrite something (a document with the same id) without being asked to."""


class OutsideCorpusError(ConflictError):
    """The change needs the document's file in the corpus folder, and it was indexed from elsewhere (`kb ingest PATH`)."""


class IngestBusyError(KBError):
    """Another ingest holds the index lock."""


class StorageError(KBError):
    """The disk is full (or cannot be written): nothing partial was left behind; free space and try again."""


def is_disk_full(exc: BaseException) -> bool:
    """Whether an error from SQLite, FAISS or the file system means there is no room left on the disk."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return True
    text = str(exc).lower()
    return "disk is full" in text or "no space left" in text or "quota exceeded" in text
