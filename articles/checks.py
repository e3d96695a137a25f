"""`manage.py check` reads every content file and fails on any problem that publishing would refuse."""

from django.core import checks

from .loading import load_library
from .site_checks import site_problems


@checks.register("content")
def check_content(app_configs=None, **kwargs):
    library = load_library(drafts=True)
    problems = [*library.problems, *site_problems(library)]
    return [checks.Error(str(problem), id="articles.E001") for problem in problems]
