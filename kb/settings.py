"""Settings read from the environment (prefix KB_), shared by the CLI and the API."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Where the corpus and index live and how the server listens."""

    model_config = SettingsConfigDict(env_prefix="KB_")

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "index"
    host: str = "127.0.0.1"
    port: int = 8000
    api_key: str | None = None
    # How queries are embedded: the index's ONNX export (fast start, no torch) or sentence-transformers.
    query_embedder: Literal["onnx", "sentence-transformers"] = "onnx"
    cache_dir: Path = Path.home() / ".cache" / "sfpc-kb"  # the model's ONNX export, made once per machine
    # The evidence floor below which no question is answered (kb/answers.py, CONFIDENCE_THRESHOLD).
    refusal_threshold: float = Field(default=0.15, ge=0.0, le=1.0)  # kb.answering.refusal.CONFIDENCE_THRESHOLD
    # A cited publication's label gives its age once it is older than this many years ("Guidance · 2015 · 11 years old").
    source_old_years: int = Field(default=5, ge=0)
    # Practitioners' feedback: its own SQLite file (default: feedback.sqlite in the index folder, which ingests
    # never remove) and how many answers one client may rate per hour.
    feedback_path: Path | None = None
    feedback_per_hour: int = Field(default=60, ge=1)
    # Limits on hostile or faulty input (README, "Limits"): each is checked before the work it bounds.
    max_upload_mb: float = Field(default=20, gt=0)  # an uploaded file (the body stops streaming past it)
    max_json_kb: int = Field(default=1024, ge=1)  # a JSON request body (POST /ask, /feedback, PATCH)
    max_history_turns: int = Field(default=20, ge=0)  # earlier turns of a conversation read by /ask (the most recent)
    max_unpacked_mb: float = Field(default=100, gt=0)  # a Word file's parts, uncompressed, all together
    max_part_mb: float = Field(default=50, gt=0)  # any one part of a Word file, uncompressed
    max_compression_ratio: float = Field(default=100, ge=1)  # uncompressed / compressed size of a part over 1 MB
    max_parts: int = Field(default=5000, ge=1)  # files inside a Word file's zip
    max_pages: int = Field(default=2000, ge=1)  # pages of a PDF, counted before any text is extracted
    max_passages: int = Field(default=10_000, ge=1)  # passages one document may add to the index
    max_seconds_per_file: float = Field(default=300, gt=0)  # reading one file's text (a PDF page by page)
    # corpus/.history keeps at most this many versions per document, none older than this many days (0: no age limit).
    history_versions: int = Field(default=10, ge=1)
    history_days: int = Field(default=365, ge=0)
    # What answers remember of the passages and questions they have read (kb/caching.py), all caches together.
    cache_mb: float = Field(default=64, gt=0)
    # Named editors' key hashes (default: editors.json in the index folder, which ingests never remove).
    editors_path: Path | None = None
    # Questions practitioners did not get an answer to (gaps): kept beside the index like feedback, masked,
    # deleted after gaps_days days; keep_gaps=false keeps none.
    gaps_path: Path | None = None
    gaps_days: int = Field(default=90, ge=1)
    keep_gaps: bool = True
    # Shared answers ("Link to this answer"): kept beside the index generations like feedback, until an editor removes one.
    shared_answers_path: Path | None = None

    @property
    def feedback_file(self) -> Path:
        """Where feedback is kept: KB_FEEDBACK_PATH, else beside the index generations (ingests never remove it)."""
        return self.feedback_path or self.index_dir / "feedback.sqlite"

    @property
    def shared_answers_file(self) -> Path:
        """Where shared answers are kept: KB_SHARED_ANSWERS_PATH, else beside the index generations."""
        return self.shared_answers_path or self.index_dir / "shared_answers.sqlite"

    @property
    def editors_file(self) -> Path:
        """Where named editors' key hashes are kept: KB_EDITORS_PATH, else beside the index generations."""
        return self.editors_path or self.index_dir / "editors.json"

    @property
    def gaps_file(self) -> Path:
        """Where unanswered questions are kept: KB_GAPS_PATH, else beside the index generations."""
        return self.gaps_path or self.index_dir / "gaps.sqlite"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache after changing the environment)."""
    return Settings()
