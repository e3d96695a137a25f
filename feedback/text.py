"""Cleaning what a visitor typed before it is stored: plain text, nothing that hides or reorders it."""

import re
import unicodedata

# Characters that change the direction of the text around them, or mark it invisibly:
# they can make a comment read differently from what it holds ("Trojan Source").
DIRECTION = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = "\u200b\u2060\ufeff"


def clean(text):
    """`text` with line ends as \\n, without control, direction or invisible characters, trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = (
        char
        for char in text
        if char in "\n\t" or not (unicodedata.category(char) in {"Cc", "Cs"} or char in DIRECTION or char in INVISIBLE)
    )
    return re.sub(r"\n{3,}", "\n\n", "".join(kept)).strip()
