"""Telling text from extraction garbage, with hand-made strings (no PDFs, no model)."""

from __future__ import annotations

import pytest

from kb.text_quality import garbage_reason


@pytest.mark.parametrize(
    "text",
    [
        "Family Safeguarding is a whole family, strengths-based approach to child protection.",
        "في نورث يوركشاير يدعم البرنامج المراهقين من سن الثانية عشرة حتى الخامسة والعشرين",
        "ノー・ロング・ドアは、ケアの境界にいる若者を支援する統合サービスです。",
        "short",  # too short to judge
    ],
)
def test_real_text_in_any_script_is_kept(text: str) -> None:
    assert garbage_reason(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("\ue000\ue001\ue002" * 10 + " some words here", "unassigned or private-use code points"),
        ("(cid:12)(cid:40)(cid:7)(cid:99) " * 8, "unmapped glyph ids"),
        ("12 34 56 78 90 -- ## %% 11 22 33 44 55 66 77 88 99", "of the characters are letters"),
        ("aбγדهअกあ가ⴰ" * 4, "scatter across"),
    ],
)
def test_garbage_is_named(text: str, reason: str) -> None:
    found = garbage_reason(text)
    assert found is not None and reason in found
