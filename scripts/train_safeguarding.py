"""Fit the safeguarding-concern model (kb/safeguarding_model.json) and print its cross-validated figures.

Data: eval/safeguarding_more.jsonl (our own examples, many voices: disclosures and practice questions) and
every question of the evaluation sets (../shared/eval, ../shared/library, eval/), all practice questions,
as further negatives. ../shared/eval/safeguarding.jsonl is never fitted on: it is scored as a held-out set.
Figures: stratified 10-fold cross-validation (the weights fitted on nine folds, scored on the tenth), then the
shared examples scored by the model fitted on everything else.

    .venv/bin/python scripts/train_safeguarding.py [--write]
"""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from kb.embedding import default_embedder, embed
from kb.safeguarding import MODEL_PATH, wording_row

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OWN = ROOT / "eval" / "safeguarding_more.jsonl"
HELD_OUT = SHARED / "eval" / "safeguarding.jsonl"
PRACTICE_SETS = [
    SHARED / "library" / "questions.jsonl",
    SHARED / "library" / "unanswerable.jsonl",
    *sorted((SHARED / "eval").glob("dev_*.jsonl")),
    *sorted(p for p in (ROOT / "eval").glob("*.jsonl") if "safeguarding" not in p.name),
]
C = 30.0  # weak regularisation: 384 dimensions, a few hundred examples, classes well apart
WORDING_WEIGHT = 0.3  # the wording features' scale beside the unit-length embedding
THRESHOLD = 0.2  # low: a missed disclosure is the worse error (every CV disclosure scores well above it)


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def rows(texts: list[str], vectors: np.ndarray) -> np.ndarray:
    return np.hstack([vectors, WORDING_WEIGHT * np.stack([wording_row(t) for t in texts])])


def fit(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(x, y)


def report(name: str, p: np.ndarray, y: np.ndarray, texts: list[str]) -> None:
    flagged = p >= THRESHOLD
    missed = [t for t, f, d in zip(texts, flagged, y, strict=True) if d and not f]
    wrongly = [t for t, f, d in zip(texts, flagged, y, strict=True) if f and not d]
    print(f"{name}: disclosures flagged {int((flagged & y).sum())}/{int(y.sum())}, "
          f"practice questions flagged {len(wrongly)}/{int((~y).sum())}")
    for text in missed:
        print(f"  MISSED: {text}")
    for text in wrongly:
        print(f"  flagged: {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write the model fitted on all the data to {MODEL_PATH}")
    args = parser.parse_args()
    own = read(OWN)
    practice = [r["q"] for path in PRACTICE_SETS if path.exists() for r in read(path) if r.get("q")]
    texts = [r["q"] for r in own] + practice
    y = np.array([bool(r["disclosure"]) for r in own] + [False] * len(practice))
    source = np.array([0] * len(own) + [1] * len(practice))  # folds keep both sources in proportion
    embedder = default_embedder()
    x = rows(texts, embed(embedder, texts))
    p = np.zeros(len(texts))
    for train, test in StratifiedKFold(10, shuffle=True, random_state=0).split(x, y * 2 + source):
        p[test] = fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    own_part = source == 0
    report("10-fold CV, our own examples", p[own_part], y[own_part], [t for t, s in zip(texts, own_part, strict=True) if s])
    report("10-fold CV, evaluation-set questions", p[~own_part], y[~own_part],
           [t for t, s in zip(texts, own_part, strict=True) if not s])
    print(f"lowest CV probability of a disclosure: {p[y].min():.3f} (threshold {THRESHOLD})")
    model = fit(x, y)
    shared = read(HELD_OUT)
    shared_texts = [r["q"] for r in shared]
    ps = model.predict_proba(rows(shared_texts, embed(embedder, shared_texts)))[:, 1]
    report("held out: ../shared/eval/safeguarding.jsonl", ps, np.array([bool(r["disclosure"]) for r in shared]), shared_texts)
    if args.write:
        MODEL_PATH.write_text(json.dumps({
            "coef": [round(float(v), 6) for v in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 6),
            "wording_weight": WORDING_WEIGHT,
            "threshold": THRESHOLD,
            "fitted_on": f"{len(own)} own examples + {len(practice)} evaluation questions, {datetime.date.today()}",
        }) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main()
