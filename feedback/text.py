"""Cleaning what a visitor typed before it is stored: plain text, nothing that hides or reorders it."""

import re
import unicodedata

# Characters that change the direction of the text around them, or mark it invisibly:
# they can make a comment read differently from what it holds ("Trojan Source").
DIRECTION = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = "\u200b\u2060\ufeff"
# Invisible too: every format character (Cf: soft hyphens, invisible operators, the tag characters that
# can spell hidden text), private and unassigned code points, and letters that print as nothing (the
# Hangul fillers), all of which had been kept (helper-55). Kept: the zero-width joiner and non-joiner,
# which some scripts and emoji need to read right.
HIDDEN_CATEGORIES = {"Cc", "Cs", "Cf", "Co", "Cn"}
JOINERS = "\u200c\u200d"
FILLERS = "\u115f\u1160\u3164\uffa0"
LINE_BREAKS = {"\u2028": "\n", "\u2029": "\n\n"}  # line and paragraph separators: plain line ends


def clean(text):
    """`text` with line ends as \\n, without control, direction or invisible characters, trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(str.maketrans(LINE_BREAKS))
    kept = (char for char in text if char in "\n\t" or not _hidden(char))
    return re.sub(r"\n{3,}", "\n\n", "".join(kept)).strip()


def _hidden(char):
    if char in JOINERS:
        return False
    return unicodedata.category(char) in HIDDEN_CATEGORIES or char in DIRECTION or char in INVISIBLE or char in FILLERS
