"""What is wrong with a content file, said so that an editor can fix it."""

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, e.g.

    content/botox-jaw-pain/benefits.md, line 4: 'last_reviewed' is not a date
    (got '2026-13-01'); use YYYY-MM-DD.
    """

    path: Path
    message: str
    hint: str = ""
    line: int | None = None
    field: str | None = None
    level: str = ERROR

    @property
    def location(self):
        where = display_path(self.path)
        return f"{where}, line {self.line}" if self.line else where

    def __str__(self):
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return text if text.endswith(("?", ".")) else text + "."

    def as_dict(self):
        data = asdict(self)
        data["path"] = display_path(self.path)
        data["text"] = str(self)
        return data


def display_path(path):
    """The path as an editor knows it: relative to the project when it is inside it."""
    path = Path(os.path.abspath(path))  # not resolve(): a link is named as the editor sees it
    for base in (Path(os.path.abspath(settings.BASE_DIR)), Path(settings.BASE_DIR).resolve()):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


class ContentError(Exception):
    """A file could not be used; carries the problems that say why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))
