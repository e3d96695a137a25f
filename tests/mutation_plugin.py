"""Loaded by `make mutation` only (pyproject.toml [tool.mutmut]): makes mutmut work with the loader's
forked children.

- mutmut learns which tests reach which function by recording calls in the test process; content is
  parsed and checked in forked children (articles/render/library.py), whose calls it would never see,
  so their mutants would be reported as having no tests. Each child appends its calls to a file, and
  they are added to the test's calls before mutmut reads them.
- mutmut's fork server gives each test run it forks its own SIGTERM handler, which kills every other
  run in progress; the loader ends its children with SIGTERM, and they would inherit it. Each test
  run puts back the default handlers before it starts any child.
"""

import os
import signal
import tempfile
from pathlib import Path

import pytest

_HITS = Path(tempfile.gettempdir()) / f"mutmut-child-calls-{os.getpid()}"


def _collecting():
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


class _WrittenThrough(set):
    def add(self, name):
        if name not in self:
            super().add(name)
            with open(_HITS, "a") as file:
                file.write(name + "\n")


def _in_child():
    if _collecting():
        from mutmut.state import state

        state()._stats = _WrittenThrough()


os.register_at_fork(after_in_child=_in_child)


def pytest_configure(config):
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    if not _collecting() or not _HITS.exists():
        return
    from mutmut.state import state

    state()._stats.update(_HITS.read_text().split())
    _HITS.unlink()
