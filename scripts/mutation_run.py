"""`mutmut run` as `make mutation` runs it: within a time budget a machine of 2 cores can keep.

    python -m scripts.mutation_run [mutmut run's arguments: --max-children N, mutant names]

Three changes to mutmut's own run, each for time:

- **Each mutant gets its module's own tests, then the quickest others, within a budget.** mutmut
  runs every test that reached the mutated function (fastest first, stopping at the first failure),
  so a mutant that survives costs the whole of them: up to 400 tests and two minutes for a function
  every request passes through. Of the tests that reach a function, its module's own tests
  (OWN_TESTS, in their order) come first, then the others, each group fastest first (times include fixtures:
  tests/mutation_plugin.py), as long as their times fit in the module's budget (SECONDS_PER_MUTANT
  unless OWN_TESTS says otherwise), and always at least MIN_TESTS of them. A mutant that only a
  slower test would kill is reported as not killed: the answer is a quick test of what it breaks,
  among the module's own tests.
- **Mutants listed in mutation-equivalents.txt are not run** (scripts/mutation_report.py leaves them
  out of the scores anyway). Naming a mutant (`python -m scripts.mutation_run NAME`) runs it
  whatever the list says, to check that it still survives.
- **The second whole-suite run is skipped when it proves nothing.** mutmut first runs every test,
  recording which functions each reaches ("stats"), and stops if one fails; then it runs every test
  again with no mutant ("clean tests"). When the stats were recorded moments before in the same run,
  that second run is skipped; when they come from an earlier run, it is not.
"""

import sys

from mutmut import __main__ as mutmut
from mutmut.state import state
from mutmut.workers import isolation

from scripts.mutation_report import equivalents

SECONDS_PER_MUTANT = 2.0
MIN_TESTS = 2
# Each mutated module's own tests, run first for its mutants; and its budget, where it is not the above
# (each of publishing's tests publishes a release or three, the slowest thing a test does; the loading
# tests' budget takes in the one that stops a reader at a 0.5 s limit, not those at 1 s).
OWN_TESTS = {
    "articles.publish.publishing": (("tests/publish/test_publishing.py::",), 7.0),
    "articles.serve.serving": (("tests/serve/test_serving.py::", "tests/serve/"), 2.5),
    "articles.content.files": (
        ("tests/content/test_files.py::", "tests/content/test_loading.py::"),
        SECONDS_PER_MUTANT,
    ),
    "articles.render.library": (("tests/content/test_loading.py::",), 2.8),
    "articles.checks.markup": (("tests/checks/test_markup.py::", "tests/render/"), SECONDS_PER_MUTANT),
}


def _rank(name, own):
    """0 for a test of the first of `own`, 1 for the second, ...; len(own) for any other test."""
    return next((index for index, prefix in enumerate(own) if name.startswith(prefix)), len(own))


_recorded = []
_record_stats = mutmut.run_stats_collection
_collect_or_load_stats = mutmut.collect_or_load_stats
_collect_mutants = mutmut.collect_source_file_mutation_data
_clean = isolation.ForkRunner.run_clean_tests


def run_stats_collection(runner, tests=None):
    _recorded.append(tests)
    return _record_stats(runner, tests)


def run_clean_tests(self, tests):
    if _recorded and not _recorded[0]:  # every test ran, and passed, moments ago
        return 0
    return _clean(self, tests)


def collect_or_load_stats(runner, **options):
    _collect_or_load_stats(runner, **options)
    durations = state().duration_by_test
    for function, tests in state().tests_by_mangled_function_name.items():
        own, budget = OWN_TESTS.get(function.rpartition(".")[0], ((), SECONDS_PER_MUTANT))
        kept, spent = set(), 0.0
        for test in sorted(tests, key=lambda name: (_rank(name, own), durations.get(name, 0.0), name)):
            seconds = durations.get(test, 0.0)
            if spent + seconds > budget and len(kept) >= MIN_TESTS:
                continue  # too slow for what is left of the budget; a quicker one may still fit
            kept.add(test)
            spent += seconds
        state().tests_by_mangled_function_name[function] = kept


def collect_source_file_mutation_data(*, mutant_names):
    mutants, by_path = _collect_mutants(mutant_names=mutant_names)
    if mutant_names:
        return mutants, by_path
    listed = equivalents()
    kept = []
    for data, name, result in mutants:
        if name in listed and result is None:
            data.exit_code_by_key[name] = 34  # mutmut's "skipped"
            data.save()
            result = 34
        kept.append((data, name, result))
    return kept, by_path


mutmut.run_stats_collection = run_stats_collection
mutmut.collect_or_load_stats = collect_or_load_stats
mutmut.collect_source_file_mutation_data = collect_source_file_mutation_data
isolation.ForkRunner.run_clean_tests = run_clean_tests

if __name__ == "__main__":
    sys.exit(mutmut.cli(["run", *sys.argv[1:]]))
