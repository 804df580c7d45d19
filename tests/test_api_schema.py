"""Schemathesis against the app's own OpenAPI schema: nothing a client sends causes a server error."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

import api
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings, get_settings

schema = schemathesis.openapi.from_asgi("/openapi.json", api.app)


@pytest.fixture(autouse=True)
def real_index(knowledge_base: KnowledgeBase, corpus_index: Path):  # type: ignore[no-untyped-def]
    # Editing stays disabled (no key): generated uploads are refused before anything is written.
    api.app.dependency_overrides[api.get_kb] = lambda: knowledge_base
    api.app.dependency_overrides[get_settings] = lambda: Settings(
        index_dir=corpus_index, corpus_dir=corpus_index.parent / "corpus"
    )
    yield
    api.app.dependency_overrides.clear()


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error])
