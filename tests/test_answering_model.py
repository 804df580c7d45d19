"""The answer model: its stored form, its gates, and the bundled fit."""

from __future__ import annotations

import numpy as np
import pytest

from kb.answering.features import FEATURE_NAMES
from kb.answering.model import AnswerModel, load_model, model_from_json
from kb.errors import KBError


def test_the_bundled_model_is_fitted_on_the_features_the_code_computes() -> None:
    model = load_model()
    assert model.features == FEATURE_NAMES
    assert 0.0 < model.threshold < 1.0
    assert "questions" in model.fitted_on
    assert set(model.gates) <= set(FEATURE_NAMES)


def test_a_model_fitted_on_other_features_is_refused_with_how_to_rebuild_it() -> None:
    stored = load_model().to_json()
    stored["features"] = ["cosine_to_question"]
    with pytest.raises(KBError, match="train_answer_model"):
        model_from_json(stored)


def test_a_gate_shuts_a_unit_whatever_its_score() -> None:
    width = len(FEATURE_NAMES)
    weights = np.zeros(width)
    weights[FEATURE_NAMES.index("cosine_to_question")] = 5.0
    model = AnswerModel(FEATURE_NAMES, np.zeros(width), np.ones(width), weights, 0.0, 0.5, 0.1, gates=("lacks_strict_kind",))
    rows = np.zeros((2, width), dtype=np.float32)
    rows[:, FEATURE_NAMES.index("cosine_to_question")] = 1.0
    rows[1, FEATURE_NAMES.index("lacks_strict_kind")] = 1.0
    probabilities = model.probabilities(rows)
    assert probabilities[0] > 0.99 and probabilities[1] == 0.0
    assert model_from_json(model.to_json()).gates == ("lacks_strict_kind",)
