"""Reading evaluation files and judging answers against expected phrases, without the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.errors import InvalidInputError
from kb.evaluation import is_peer_file, load_peer_questions, load_questions, missing_phrases


def test_an_answer_contains_one_phrase_or_all_of_them() -> None:
    answer = "Leeds’ Family Valued [1]\n- Darlington   Borough Council [2]"
    assert missing_phrases(answer, ["Leeds' Family Valued", "Sefton"], require_all=False) == []
    assert missing_phrases(answer, ["Darlington Borough Council", "Sefton"], require_all=True) == ["Sefton"]
    assert missing_phrases(answer, ["Sefton"], require_all=False) == ["Sefton"]


def test_question_files_with_history_and_peer_files_load(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"id": "a", "q": "When?", "phrase": ["2013"], "history": [{"role": "user", "content": "Who is she?"}]}\n\n'
        '{"id": "z", "q": "How much?"}\n',
        encoding="utf-8",
    )
    loaded = load_questions(questions)
    assert [q.id for q in loaded] == ["a", "z"] and loaded[0].history[0].content == "Who is she?"
    assert not loaded[1].phrases and not is_peer_file(questions)
    peers = tmp_path / "p.jsonl"
    peers.write_text('{"id": "p", "topic": "reunification", "councils": ["coventry"]}\n', encoding="utf-8")
    assert is_peer_file(peers) and load_peer_questions(peers)[0].councils == ("coventry",)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", 'q.jsonl:1: expected {"id": ..., "q": ...'),
        ('["a list"]', "q.jsonl:1: expected"),
        ('{"id": "a"}', "got an error: 'q'"),
        ('{"id": "a", "q": "x", "history": [{"role": "robot", "content": "hi"}]}', "history roles must be 'user' or 'assistant'"),
    ],
)
def test_bad_question_lines_say_which_line_and_what_is_expected(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=message.replace("{", r"\{").replace("[", r"\[")):
        load_questions(path)


def test_the_calibrated_floor_sits_in_the_gap_and_weighs_wrong_answers_twice() -> None:
    from kb.evaluation import QuestionResult, calibrate_threshold

    def result(answerable: bool, evidence: float) -> QuestionResult:
        return QuestionResult("x", "q", "f", answerable, None, True, evidence, "", "general", None, [])

    separated = [result(True, 0.6), result(True, 0.5), result(False, 0.2), result(False, 0.1)]
    assert calibrate_threshold(separated) == 0.35  # midway between 0.2 and 0.5
    # One answerable question below one unanswerable one: refusing it (cost 1) beats answering the other (cost 2).
    overlapping = [result(True, 0.6), result(True, 0.25), result(False, 0.3), result(False, 0.1)]
    assert calibrate_threshold(overlapping) == 0.45
