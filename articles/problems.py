"""What is wrong with a content file, said so that an editor can fix it."""

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
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


class ContentError(Exception):
    """A file could not be used; carries the problems that say why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))
