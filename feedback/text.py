"""Cleaning what a visitor typed before it is stored: plain text, nothing that hides or reorders it."""

import re
import unicodedata

# Format characters (Cf) make a comment read differently from what it holds: those that change the
# direction of the text around them ("Trojan Source"), the zero-width space and word joiner, soft
# hyphens, invisible operators, the tag characters that can spell hidden text. Removed with them:
# private-use code points, noncharacters and the Hangul fillers, which print as nothing (helper-55).
# Kept, as text needs them: the zero-width joiner and non-joiner (emoji, Persian,
# Indic scripts), the format characters of scripts (Arabic number signs, Syriac's abbreviation mark,
# Mongolian's vowel separator), the tags of a subdivision flag (England's, Scotland's) and code points
# this Python's Unicode does not know yet (new emoji: it is Unicode 15) (helper-57).
HIDDEN_CATEGORIES = {"Cc", "Cs", "Cf", "Co"}
SCRIPT_FORMATS = set("\u200c\u200d\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u08e2\u180e\U000110bd\U000110cd")
FILLERS = "\u115f\u1160\u3164\uffa0"
LINE_BREAKS = {"\u2028": "\n", "\u2029": "\n\n"}  # line and paragraph separators: plain line ends
# 🏴 followed by a region's tag letters and the cancel tag: the only use of tag characters in text.
FLAG = re.compile("\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{2,6}\U000e007f")


def clean(text):
    """`text` with line ends as \\n, without control, direction or invisible characters, trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(str.maketrans(LINE_BREAKS))
    flags = {index for found in FLAG.finditer(text) for index in range(found.start(), found.end())}
    kept = (char for index, char in enumerate(text) if char in "\n\t" or index in flags or not _hidden(char))
    return re.sub(r"\n{3,}", "\n\n", "".join(kept)).strip()


def _hidden(char):
    if char in SCRIPT_FORMATS:
        return False
    if char in FILLERS or _noncharacter(char):
        return True
    return unicodedata.category(char) in HIDDEN_CATEGORIES


def _noncharacter(char):
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
