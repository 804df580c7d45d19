"""Telling real text from extraction garbage (unmapped fonts, mojibake) before it is indexed."""

from __future__ import annotations

import unicodedata
from collections import Counter

# Scripts that one language writes together count as one (Japanese mixes these three).
_SCRIPT_GROUPS = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "CJK": "CJK", "HANGUL": "CJK", "FULLWIDTH": "CJK"}
MIN_CHARS = 20


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    word = name.split(" ", 1)[0] if name else "UNKNOWN"
    return _SCRIPT_GROUPS.get(word, word)


def garbage_reason(text: str) -> str | None:
    """Why `text` looks like extraction garbage rather than words, or None if it reads as text.

    Real text in any language is mostly letters from one or two scripts with few unassigned code
    points; fonts without a usable ToUnicode map instead yield private-use or unassigned code points,
    glyph-id soup such as '(cid:12)', or a scatter of letters from many unrelated scripts.
    """
    chars = [c for c in text if not c.isspace()]
    if len(chars) < MIN_CHARS:
        return None
    bad = sum(1 for c in chars if unicodedata.category(c) in {"Cn", "Co", "Cs"} or c == "\ufffd")
    if bad / len(chars) > 0.02:
        return f"{bad / len(chars):.0%} of the characters are unassigned or private-use code points"
    if text.count("(cid:") * 6 > len(chars) * 0.2:
        return "the text is mostly unmapped glyph ids '(cid:N)'"
    letters = [c for c in chars if c.isalpha()]
    if len(letters) / len(chars) < 0.5:
        return f"only {len(letters) / len(chars):.0%} of the characters are letters"
    scripts = Counter(_script(c) for c in letters)
    top_two = sum(n for _, n in scripts.most_common(2))
    if top_two / len(letters) < 0.9:
        return f"the letters scatter across {len(scripts)} unrelated scripts"
    return None
