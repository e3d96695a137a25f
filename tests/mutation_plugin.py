"""Loaded by `make mutation` only (pyproject.toml [tool.mutmut]): makes mutmut work with the loader's
forked children.

- mutmut learns which tests reach which function by recording calls in the test process; content is
  parsed and checked in forked children (articles/render/library.py), whose calls it would never see,
  so their mutants would be reported as having no tests. Each child appends its calls to a file, and
  they are added to the test's calls before mutmut reads them.
- While mutmut records calls, a test's subprocesses (bin/serve, manage.py) would record them too,
  and fail: mutmut's recorder reads its configuration from the working folder, which in a subprocess
  is mutants/ itself. The variable that tells them is taken out of the environment; the test process
  keeps recording (mutmut keeps its own copy of the variable). When a mutant is tested, the variable
  stays, so a subprocess started in mutants/ runs the mutant too.
- mutmut gives each test run it forks a SIGTERM handler of its own; the loader ends its children with
  SIGTERM, and they would inherit it. Each test run puts back the default handlers before it starts
  any child.
- mutmut times each test by its call alone; a test's fixtures (a guide published, the real site
  published) often cost more. Their setup and teardown are counted too, since mutmut orders the
  tests, sets its time limits, and scripts/mutation_run.py its budget, by these times.
- The slowest tests (seconds each: processes started, publishes by the dozen) are left out: a mutant
  runs the quickest tests that reach its function, within a budget (scripts/mutation_run.py), so
  these would never run for any mutant, and every function they reach is reached by quicker tests.
  Recording their calls would only lengthen every run.
- Each mutant's run keeps its temporary files in a folder of its own, removed when it ends (a forked run never reaches the code that would clean pytest's own folders up).
"""

import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import pytest

_HITS = Path(tempfile.gettempdir()) / f"mutmut-child-calls-{os.getpid()}"


def _under_test():
    from mutmut.mutation.trampoline import get_mutant_under_test

    return get_mutant_under_test()


def _collecting():
    return _under_test() == "stats"


class _WrittenThrough(set):
    def add(self, name):
        if name not in self:
            super().add(name)
            with open(_HITS, "a") as file:
                file.write(name + "\n")


def _in_child():
    # A mutant's run collects the static files itself: the parent's were made by the code unmutated.
    static = sys.modules.get("articles.publish.static")
    if static is not None:
        static._COLLECTED.clear()
    if _collecting():
        from mutmut.state import state

        state()._stats = _WrittenThrough()


os.register_at_fork(after_in_child=_in_child)


TOO_SLOW = {
    "tests/publish/test_publish_faults.py::test_kill_9_at_any_moment_leaves_nothing_that_a_good_publish_does_not_clear",
    "tests/publish/test_publish_faults.py::test_concurrent_publishes_never_break_the_live_site",
    "tests/publish/test_publish_faults.py::test_a_rollback_while_the_lock_is_held_waits_for_it",
    "tests/publish/test_publish_faults.py::test_publish_never_signals_the_process_a_pidfile_names",
    "tests/publish/test_publish_faults.py::test_a_full_disk_says_so_in_one_line_and_leaves_nothing_behind",
    "tests/checks/test_editors.py::test_bin_check_prints_only_the_editors_lines_and_the_count",
    "tests/checks/test_editors.py::test_check_content_passes_on_the_real_content",
    "tests/render/test_robustness.py::test_any_edit_of_a_page_loads_or_is_reported",
    "tests/publish/test_many_guides.py::test_a_guide_page_is_the_same_size_with_2_or_12_guides",
    "tests/publish/test_many_guides.py::test_with_many_guides_the_home_page_lists_each_guide_once_by_letter",
    "tests/serve/test_restart.py::test_a_broken_file_after_a_restart_serves_the_last_release_and_says_why",
}


def pytest_collection_modifyitems(config, items):
    slow = [item for item in items if item.nodeid in TOO_SLOW]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if item.nodeid not in TOO_SLOW]


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        del os.environ["MUTANT_UNDER_TEST"]
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    if _under_test() not in {"", "stats", "fail"}:  # a mutant
        config.option.basetemp = str(Path(tempfile.gettempdir()) / f"mutmut-run-{os.getpid()}")


def pytest_unconfigure(config):
    if _under_test() not in {"", "stats", "fail"}:
        shutil.rmtree(config.option.basetemp, ignore_errors=True)


def pytest_runtest_makereport(item, call):
    if _collecting() and call.when in {"setup", "teardown"}:
        from mutmut.state import state

        state().duration_by_test[item.nodeid] += call.duration


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    if not _collecting() or not _HITS.exists():
        return
    from mutmut.state import state

    state()._stats.update(_HITS.read_text().split())
    _HITS.unlink()
