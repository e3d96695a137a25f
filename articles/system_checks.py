"""`manage.py check` reads every content file and fails on any problem that publishing would refuse."""

from django.core import checks


@checks.register("content")
def check_content(app_configs=None, **kwargs):
    # Imported here: a serving worker registers this check but never runs it.
    from articles.checks.site import content_problems
    from articles.render.library import load_library

    library = load_library(drafts=True)
    return [checks.Error(str(problem), id="articles.E001") for problem in content_problems(library)]
