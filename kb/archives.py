"""Zip packages (Word .docx) checked against size limits from the central directory, before any part is inflated."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from kb.errors import DocumentError
from kb.settings import Settings, get_settings

MB = 1024 * 1024
RATIO_FLOOR = MB  # parts smaller than this are never a bomb, whatever their ratio (tiny XML compresses well)


@dataclass(frozen=True)
class ZipLimits:
    """How much a zip package may unpack to: in total, per part, per compressed byte, and how many parts."""

    max_unpacked_bytes: int
    max_part_bytes: int
    max_ratio: float
    max_parts: int

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ZipLimits:
        """The limits set by KB_MAX_UNPACKED_MB, KB_MAX_PART_MB, KB_MAX_COMPRESSION_RATIO and KB_MAX_PARTS."""
        s = settings or get_settings()
        return cls(int(s.max_unpacked_mb * MB), int(s.max_part_mb * MB), s.max_compression_ratio, s.max_parts)


def check_zip_package(path: Path, limits: ZipLimits, *, what: str = "zip package") -> None:
    """Raise DocumentError naming the limit the package's declared sizes pass; nothing is inflated here.

    The declared sizes bound the real work: Python's zipfile never inflates a part beyond its declared
    size (a part that lies about it fails its CRC check instead)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentError(str(path), f"not a readable {what} (damaged, or not really one); save it again") from None
    if len(parts) > limits.max_parts:
        raise DocumentError(str(path), f"the {what} holds {len(parts):,} files; the limit is {limits.max_parts:,} (KB_MAX_PARTS)")
    total = 0
    for part in parts:
        size = part.file_size
        total += size
        if size > limits.max_part_bytes:
            raise DocumentError(
                str(path),
                f"its part {part.filename[:80]!r} unpacks to {size / MB:,.0f} MB; "
                f"the limit is {limits.max_part_bytes / MB:,.0f} MB per part (KB_MAX_PART_MB)",
            )
        if size > RATIO_FLOOR and size > limits.max_ratio * max(part.compress_size, 1):
            ratio = size / max(part.compress_size, 1)
            raise DocumentError(
                str(path),
                f"its part {part.filename[:80]!r} is compressed {ratio:,.0f} to 1; "
                f"the limit is {limits.max_ratio:,.0f} to 1 (KB_MAX_COMPRESSION_RATIO): a zip bomb?",
            )
    if total > limits.max_unpacked_bytes:
        raise DocumentError(
            str(path),
            f"the {what} unpacks to {total / MB:,.0f} MB; the limit is {limits.max_unpacked_bytes / MB:,.0f} MB "
            "(KB_MAX_UNPACKED_MB)",
        )
