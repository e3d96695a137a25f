"""`manage.py check` reads every content file and fails on any problem."""

from django.core import checks

from .content import load_fresh


@checks.register("content")
def check_content(app_configs=None, **kwargs):
    library = load_fresh()
    found = [checks.Error(str(problem), id="articles.E001") for problem in library.problems]
    if not library.guides and not found:
        found.append(checks.Error("No guide found in the content folder.", id="articles.E002"))
    return found
