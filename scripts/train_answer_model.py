"""Fit the answer model (kb/answering/model.json) on labelled questions and print its cross-validated figures.

    python scripts/train_answer_model.py [--index DIR] [--corpus-index DIR] [--repeats N] [--write [--force]]

Every question of the development library (../shared/library: questions.jsonl, unanswerable.jsonl, and our own
eval/library_more.jsonl) and of ../shared/eval (dev_answers.jsonl), and the out-of-scope questions written for
fitting (eval/out_of_scope_train.jsonl), is asked through the real search of an index of corpus/ and the library;
dev_answers.jsonl and the out-of-scope questions are asked again of an index of corpus/ alone. Each unit of the
passages found is a row, labelled 1 when it holds one of the question's phrases. Folds are by publication (a library question's
`doc`; the corpus questions form groups of their own), so no publication's wording is both fitted and scored.
For each fold the model and its thresholds are fitted on the other folds' questions and the answers are scored
on the held-out ones, as `kb eval` scores them; the held-out figures are the ones that count (`--repeats N` scores
N-1 other random splits by publication too: the figure moves by about ten answers with the split alone). `--write` then
fits on everything and writes the model, unless it answers a question of eval/out_of_scope.jsonl (never fitted on)
on corpus/ alone, which the tests allow none of, or does worse than the bundled model on the library's never-fitted
sets (NEVER_FITTED: fewer answers with the fact, or more near misses answered); `--force` writes it anyway.
Without `--index` the corpus and the library are indexed in a temporary folder first (about ten minutes here);
without `--corpus-index`, the corpus alone (under a minute).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb.answering.compose import Candidates, choose_units, in_answer_order, render_choice  # noqa: E402
from kb.answering.features import FEATURE_NAMES, feature_matrix  # noqa: E402
from kb.answering.model import (  # noqa: E402
    ANSWERABILITY_FEATURES,
    MODEL_PATH,
    AnswerModel,
    Logistic,
    answerability_row,
    eligible,
    load_model,
)
from kb.evaluation import EvalQuestion, load_questions, missing_phrases, normalise_for_match  # noqa: E402
from kb.knowledge_base import KnowledgeBase, ask  # noqa: E402

SHARED = ROOT.parent / "shared"
QUESTION_FILES = (
    SHARED / "library" / "questions.jsonl",
    SHARED / "library" / "unanswerable.jsonl",
    SHARED / "eval" / "dev_answers.jsonl",
    ROOT / "eval" / "library_more.jsonl",
)
# Questions the publications do not touch at all (a passport, asthma, adult social care), written for fitting only:
# eval/out_of_scope.jsonl, which `kb eval` reports, is never fitted on. They count against a setting that answers
# them, but the share of unanswerable questions a setting may answer is of the near misses above.
OUT_OF_SCOPE_FILES = (ROOT / "eval" / "out_of_scope_train.jsonl",)
# Asked again of an index of corpus/ alone, as a fresh install serves it: six documents weigh words and retrieval
# evidence differently from seventy, and the model must answer (and refuse) on both.
CORPUS_ONLY_FILES = (SHARED / "eval" / "dev_answers.jsonl", *OUT_OF_SCOPE_FILES)
CORPUS_ONLY = " (corpus only)"
# Never fitted on: the model written must answer none of these on corpus/ alone, as tests/test_retrieval.py holds it to.
RELEASE_CHECK = ROOT / "eval" / "out_of_scope.jsonl"
# Never fitted on either: questions on the library's publications written after the model was first fitted, with their
# near misses. The model written must answer none more of the near misses, and lose no answer's fact, against the
# model it replaces (the utility it is fitted for would trade one for the other).
NEVER_FITTED = tuple(
    ROOT / "eval" / f"library_{name}.jsonl" for name in ("more2", "unanswerable_more", "more3", "unanswerable_more2")
)
FOLDS = 5
THRESHOLDS = np.round(np.arange(0.05, 0.95, 0.01), 2)
MARGINS = (0.1, 0.2, 0.3, 0.5, 1.0)
SMOOTHING = 5  # the threshold is chosen on the utility averaged with this many grid steps (0.02 each) either side
# (5, not 2: held out 393, 399, 397 of 538 on the three splits against 389, 393, 399; docs/answer-experiments.md)
WRONG_ANSWER_COST = 2.0  # a confident answer to a question the library cannot answer, against one wrong refusal
MAX_UNANSWERABLE_ANSWERED = 0.2  # the share of unanswerable questions a setting may answer (README, "Answers": why not 0.1)
REGULARISATION = 1.0
# What a unit must hold to answer at all (README, "Answers"): the kind of answer asked for, the names asked about,
# the figures and years the question gives; and what is never quoted: a lead-in without its list, a link, a menu, a heading.
GATES = (
    "lacks_strict_kind",
    "subject_missing_around",
    "question_figures_missing",
    "measure_without_figure",
    "lead_in_for_no_count",
    "looks_like_link_or_menu",
    "looks_like_heading",
)


@dataclass
class Asked:
    """One question as the knowledge base read it: its candidate sets (the search as asked, then alone) and labels."""

    question: EvalQuestion
    group: str
    traces: list[Candidates]
    matrices: list[list[np.ndarray]]  # per trace, per part
    labels: list[list[np.ndarray]]
    source: str = ""  # the file the question comes from


def _group(question: EvalQuestion, doc: str | None) -> str:
    return f"doc:{doc}" if doc else f"q:{question.id}"


def _out_of_scope(a: Asked) -> bool:
    return a.group.startswith("out:")


def collect(kb: KnowledgeBase, questions: list[tuple[EvalQuestion, str, str]]) -> list[Asked]:
    """Ask every question with a model that never answers, so both the conversational and the standalone
    search are traced; keep every unit's features and whether it holds a phrase."""
    never = AnswerModel(_constant(len(FEATURE_NAMES)), _constant(len(ANSWERABILITY_FEATURES)), 2.0, 0.0)
    asked = []
    with kb.snapshot() as snap:
        for number, (question, group, source) in enumerate(questions, start=1):
            traces: list[Candidates] = []
            ask(kb, question.q, history=question.history, snap=snap, trace=traces, model=never)
            wanted = [normalise_for_match(p) for p in question.phrases]
            matrices = [[feature_matrix(pairs) for pairs in t.pairs] for t in traces]
            labels = [[np.array([_holds(p.unit.lines, wanted) for p in pairs]) for pairs in t.pairs] for t in traces]
            asked.append(Asked(question, group, traces, matrices, labels, source))
            if number % 50 == 0:
                print(f"  {number}/{len(questions)} questions read", file=sys.stderr)
    return asked


def _holds(lines: tuple[str, ...], wanted: list[str]) -> bool:
    text = normalise_for_match("\n".join(lines))
    return any(w in text for w in wanted)


def _constant(width: int) -> Logistic:
    """A regression that says 1/2 whatever it reads."""
    return Logistic(np.zeros(width), np.ones(width), np.zeros(width), 0.0)


def _logistic(x: np.ndarray, y: np.ndarray) -> Logistic:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    regression = LogisticRegression(C=REGULARISATION, max_iter=3000)
    regression.fit((x - mean) / scale, y)
    return Logistic(mean, scale, regression.coef_[0], float(regression.intercept_[0]))


def fit_units(rows: list[Asked], gates: tuple[str, ...]) -> Logistic:
    """Which unit holds the answer: a logistic regression over the units of every traced part that pass the gates."""
    x = np.vstack([m for a in rows for ms in a.matrices for m in ms if len(m)])
    y = np.concatenate([lab for a in rows for ls in a.labels for lab in ls if len(lab)])
    keep = eligible(x, gates)
    return _logistic(x[keep], y[keep])


def fit_answerable(rows: list[Asked], units: list[Logistic], gates: tuple[str, ...]) -> Logistic:
    """Whether a question is answered well enough: over each question's best unit (the first part of the search
    as asked), labelled by whether the answer it leads to holds the fact. `units` is the unit model each row is
    read with: one fitted without that row's publication, so the probabilities are as a new publication gets them."""
    x, y = [], []
    for a, regression in zip(rows, units, strict=True):
        model = AnswerModel(regression, _constant(len(ANSWERABILITY_FEATURES)), 0.0, 0.3, gates)
        if not a.traces or not len(a.matrices[0][0]):
            continue
        probabilities = model.probabilities(a.matrices[0][0])
        if probabilities.max() <= 0.0:
            continue
        x.append(answerability_row(a.matrices[0][0], probabilities))
        y.append(answer(a, model, traces=1).contains_fact)
    return _logistic(np.array(x), np.array(y))


def out_of_fold_units(rows: list[Asked], gates: tuple[str, ...]) -> list[Logistic]:
    """For each row, the unit model fitted on the other publications' rows (inner folds by publication).

    The unit model reads the questions it was fitted on more confidently than new ones; fitted on those readings,
    the answerability model and its threshold would expect that confidence and refuse new publications' answers."""
    models: list[Logistic] = [_constant(len(FEATURE_NAMES))] * len(rows)
    groups = [a.group for a in rows]
    for train, test in GroupKFold(n_splits=FOLDS).split(rows, groups=groups):
        regression = fit_units([rows[i] for i in train], gates)
        for i in test:
            models[i] = regression
    return models


@dataclass(frozen=True)
class Outcome:
    """An answer as `kb eval` judges it."""

    confident: bool
    contains_fact: bool


def answer(a: Asked, model: AnswerModel, *, traces: int = 2) -> Outcome:
    """What the knowledge base would answer with this model: the question as asked in its conversation, then
    (when that is refused and the question stands on its own) asked alone, as kb.knowledge_base.ask does."""
    for trace, matrices in list(zip(a.traces, a.matrices, strict=True))[:traces]:
        chosen, _, _ = choose_units(trace, matrices, model)
        if chosen:
            text = " ".join(render_choice(c, 1) for c in in_answer_order(chosen))
            fact = bool(a.question.phrases) and not missing_phrases(text, a.question.phrases, require_all=a.question.all)
            return Outcome(True, fact)
    return Outcome(False, False)


@dataclass(frozen=True)
class Figures:
    """Answer figures over a set of questions."""

    answerable: int
    with_fact: int
    refused: int
    unanswerable: int
    answered_unanswerable: int
    out_of_scope: int = 0
    answered_out_of_scope: int = 0

    def utility(self) -> tuple[bool, float]:
        """Most answers with the fact among the settings that answer at most MAX_UNANSWERABLE_ANSWERED of the
        questions the library cannot answer; fewer wrong answers and refusals break ties."""
        wrong = self.answerable - self.with_fact - self.refused  # answered without the fact
        safe = self.answered_unanswerable <= MAX_UNANSWERABLE_ANSWERED * self.unanswerable
        answered_wrongly = self.answered_unanswerable + self.answered_out_of_scope
        return safe, self.with_fact - 0.5 * wrong - 0.25 * self.refused - WRONG_ANSWER_COST * answered_wrongly

    def line(self, name: str) -> str:
        share = self.with_fact / max(self.answerable, 1)
        return (
            f"{name:<10} with the fact {self.with_fact}/{self.answerable} ({share:.1%}), refused {self.refused} "
            f"({self.refused / max(self.answerable, 1):.1%}), "
            f"unanswerable answered {self.answered_unanswerable}/{self.unanswerable}, "
            f"out of scope answered {self.answered_out_of_scope}/{self.out_of_scope}"
        )


def figures(rows: list[Asked], model: AnswerModel, units: list[Logistic] | None = None) -> Figures:
    """The answers' figures with `model`, or with its answerability and settings over each row's own unit model."""
    models = [replace(model, units=u) for u in units] if units else [model] * len(rows)
    outcomes = [(a, answer(a, m)) for a, m in zip(rows, models, strict=True)]
    answerable = [(a, o) for a, o in outcomes if a.question.phrases]
    unanswerable = [(a, o) for a, o in outcomes if not a.question.phrases and not _out_of_scope(a)]
    out_of_scope = [(a, o) for a, o in outcomes if _out_of_scope(a)]
    return Figures(
        answerable=len(answerable),
        with_fact=sum(o.contains_fact for _, o in answerable),
        refused=sum(not o.confident for _, o in answerable),
        unanswerable=len(unanswerable),
        answered_unanswerable=sum(o.confident for _, o in unanswerable),
        out_of_scope=len(out_of_scope),
        answered_out_of_scope=sum(o.confident for _, o in out_of_scope),
    )


def fitted_model(rows: list[Asked], gates: tuple[str, ...], fitted_on: str = "") -> AnswerModel:
    """Both regressions fitted on `rows`, then the threshold and margin that answer those rows best. The
    answerability model, threshold and margin are chosen on out-of-fold unit probabilities (out_of_fold_units)."""
    units = fit_units(rows, gates)
    inner = out_of_fold_units(rows, gates)
    model = AnswerModel(units, fit_answerable(rows, inner, gates), 0.5, 0.3, gates, fitted_on)
    thresholds = [float(t) for t in THRESHOLDS[::2]]
    scored = {
        (t, m): figures(rows, replace(model, threshold=t, extra_margin=m), inner).utility() for t in thresholds for m in MARGINS
    }
    margin = max(scored.items(), key=lambda item: item[1])[0][1]

    def smoothed(i: int) -> float:
        """The mean utility of this threshold and its neighbours: a lone peak of the utility is often a few lucky questions."""
        near = thresholds[max(i - SMOOTHING, 0) : i + SMOOTHING + 1]
        return float(np.mean([scored[(t, margin)][1] for t in near]))

    safe = [i for i, t in enumerate(thresholds) if scored[(t, margin)][0]] or list(range(len(thresholds)))
    threshold = thresholds[max(safe, key=smoothed)]
    return replace(model, threshold=threshold, extra_margin=margin)


def collect_checks(kb: KnowledgeBase, paths: tuple[Path, ...]) -> list[Asked]:
    """The never-fitted questions of `paths` as `kb` reads them, for a release check (each its own group)."""
    return collect(kb, [(q, f"check:{q.id}", path.name) for path in paths for q in load_questions(path)])


def answered_out_of_scope(kb: KnowledgeBase, model: AnswerModel, path: Path = RELEASE_CHECK) -> list[str]:
    """The ids of the questions in `path` (none of which the publications answer) that `model` answers on `kb`."""
    return [a.question.id for a in collect_checks(kb, (path,)) if answer(a, model).confident]


def never_fitted_figures(kb: KnowledgeBase, models: list[AnswerModel]) -> list[Figures]:
    """Each model's figures on the NEVER_FITTED questions, asked of `kb` (the index of corpus/ and the library)."""
    asked = collect_checks(kb, NEVER_FITTED)
    return [figures(asked, model) for model in models]


def worse_than(new: Figures, old: Figures) -> str:
    """What `new` does worse than `old` ("" when nothing)."""
    worse = []
    if new.with_fact < old.with_fact:
        worse.append(f"{new.with_fact} answers with the fact against {old.with_fact}")
    if new.answered_unanswerable > old.answered_unanswerable:
        worse.append(f"{new.answered_unanswerable} near misses answered against {old.answered_unanswerable}")
    return " and ".join(worse)


def _data_version() -> str:
    digest = hashlib.sha256()
    for path in QUESTION_FILES + OUT_OF_SCOPE_FILES:  # CORPUS_ONLY_FILES are among them
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def labelled_questions(files: tuple[Path, ...] = QUESTION_FILES + OUT_OF_SCOPE_FILES) -> list[tuple[EvalQuestion, str, str]]:
    """Every question fitted on, with its fold group (its publication, or the question alone) and its file."""
    questions: list[tuple[EvalQuestion, str, str]] = []
    for path in files:
        if path in OUT_OF_SCOPE_FILES:
            questions += [(q, f"out:{q.id}", path.name) for q in load_questions(path)]
            continue
        records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        docs = {r["id"]: r.get("doc") for r in records}
        questions += [(q, _group(q, docs.get(q.id)), path.name) for q in load_questions(path)]
    return questions


def _sum(parts: list[Figures]) -> Figures:
    return Figures(*(sum(getattr(f, name) for f in parts) for name in Figures.__dataclass_fields__))


def split_groups(groups: list[str], split: int) -> list[int]:
    """Fold labels for GroupKFold: split 0 numbers the groups in order; another split (to see how far the
    held-out figure moves with the split alone) numbers them in a seeded random order."""
    names = sorted(set(groups))
    order = np.arange(len(names)) if split == 0 else np.random.default_rng(split).permutation(len(names))
    number = dict(zip(names, order, strict=True))
    return [int(number[g]) for g in groups]


def cross_validate(
    rows: list[Asked], groups: list[int], gates: tuple[str, ...], *, verbose: bool
) -> tuple[list[Figures], dict[str, list[Figures]]]:
    """Fitted on the other folds, scored on each held-out fold: the figures per fold and per question file."""
    held_out: list[Figures] = []
    by_source: dict[str, list[Figures]] = {}
    for fold, (train, test) in enumerate(GroupKFold(n_splits=FOLDS).split(rows, groups=groups), start=1):
        model = fitted_model([rows[i] for i in train], gates)
        held_out.append(figures([rows[i] for i in test], model))
        if verbose:
            print(held_out[-1].line(f"fold {fold}") + f"  (threshold {model.threshold:.2f}, margin {model.extra_margin})")
        for source in sorted({rows[i].source for i in test}):
            by_source.setdefault(source, []).append(figures([rows[i] for i in test if rows[i].source == source], model))
    return held_out, by_source


def build_index(directory: Path, *, library: bool = True) -> None:
    """Index corpus/ (and the development library) into `directory`."""
    env = {"KB_INDEX_DIR": str(directory), "PATH": str(Path(sys.executable).parent)}
    folders = [str(ROOT / "corpus"), *([str(SHARED / "library" / "docs")] if library else [])]
    subprocess.run([sys.executable, str(ROOT / "cli.py"), "ingest", *folders], check=False, env={**os.environ, **env})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="an index of corpus/ and ../shared/library/docs (built when missing)")
    parser.add_argument("--corpus-index", type=Path, help="an index of corpus/ alone (built when missing)")
    parser.add_argument("--gates", default=",".join(GATES), help=f"comma-separated gate features (default: {','.join(GATES)})")
    parser.add_argument(
        "--repeats", type=int, default=1, help="also score the held-out folds of N-1 other random splits by publication"
    )
    parser.add_argument("--curve", action="store_true", help="print the fitted model's figures at other thresholds")
    parser.add_argument("--write", action="store_true", help="fit on every question and write kb/answering/model.json")
    parser.add_argument(
        "--force",
        action="store_true",
        help=f"write even a model that answers {RELEASE_CHECK.name}'s questions on corpus/ or does worse than the bundled one "
        "on the questions never fitted on",
    )
    args = parser.parse_args()
    gates = tuple(g for g in args.gates.split(",") if g)
    index = args.index or Path(tempfile.mkdtemp(prefix="kb-train-"))
    corpus_index = args.corpus_index or Path(tempfile.mkdtemp(prefix="kb-train-corpus-"))
    for directory, library in ((index, True), (corpus_index, False)):
        if not (directory / "CURRENT").exists():  # both are built when missing, as --help says
            build_index(directory, library=library)
    rows = collect(KnowledgeBase(index), labelled_questions())
    alone = collect(KnowledgeBase(corpus_index), labelled_questions(CORPUS_ONLY_FILES))
    rows += [replace(a, source=a.source + CORPUS_ONLY) for a in alone]
    groups = [a.group for a in rows]
    print(f"{len(rows)} questions, {len(set(groups))} groups (publications, or single questions), {FOLDS} folds by group")
    for split in range(args.repeats):
        held_out, by_source = cross_validate(rows, split_groups(groups, split), gates, verbose=split == 0)
        print(_sum(held_out).line("held out" if split == 0 else f"split {split + 1}"))
        for source, parts in by_source.items():
            print(_sum(parts).line("  " + source))
    final = fitted_model(rows, gates, fitted_on=f"{len(rows)} questions, data {_data_version()}")
    print(figures(rows, final).line("fitted") + f"  (threshold {final.threshold:.2f}, margin {final.extra_margin})")
    if args.curve:
        for t in THRESHOLDS[::4]:
            print(figures(rows, replace(final, threshold=float(t))).line(f"at {t:.2f}"))
    regressions = (("units", FEATURE_NAMES, final.units), ("answerable", ANSWERABILITY_FEATURES, final.answerable))
    for title, names, regression in regressions:
        print(f"{title}: the largest standardised weights")
        for name, weight in sorted(zip(names, regression.weights, strict=True), key=lambda item: -abs(item[1]))[:12]:
            print(f"  {weight:+.3f}  {name}")
    if args.write:
        answered = answered_out_of_scope(KnowledgeBase(corpus_index), final)
        if answered and not args.force:
            sys.exit(
                f"{MODEL_PATH.relative_to(ROOT)} not written: on corpus/ alone this model answers {', '.join(answered)} of "
                f"{RELEASE_CHECK.relative_to(ROOT)}, questions the publications do not answer (`make test` allows none). "
                "--force writes it anyway."
            )
        fresh, bundled = never_fitted_figures(KnowledgeBase(index), [final, load_model()])
        print(fresh.line("never fitted, this model"))
        print(bundled.line("never fitted, the bundled model"))
        worse = worse_than(fresh, bundled)
        if worse and not args.force:
            sys.exit(
                f"{MODEL_PATH.relative_to(ROOT)} not written: on the questions never fitted on "
                f"({', '.join(p.name for p in NEVER_FITTED)}) this model gives {worse} for the bundled model. "
                "--force writes it anyway."
            )
        MODEL_PATH.write_text(json.dumps(final.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
