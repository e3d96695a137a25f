"""The scores of the last `make mutation` run, one line per module, from mutmut's results in mutants/.

A mutant counts as killed when a test failed, timed out or crashed on it. Mutants listed in
mutation-equivalents.txt (a change no test could see, each with its reason) are left out, and are
not run (`python -m scripts.mutation_run NAME` runs one anyway).

    python -m scripts.mutation_report              the scores
    python -m scripts.mutation_report --survivors  and the name of each mutant that survived
"""

import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "mutation-equivalents.txt"
# mutmut's exit codes (mutmut/stats.py): a test failed or errored, or the run was stopped for
# using too much time (SIGXCPU) or killed. 255 is left out: it means mutmut itself failed to run
# the tests, which says nothing about the mutant. None (never run) and 0 (survived) count against.
KILLED = {1, 3, 24, -24, 152, 36, 37, -9, -11}
SKIPPED = {34}  # `# pragma: no mutate`, or listed as equivalent (scripts/mutation_run.py does not run those)
STATUS = {0: "survived", None: "not run", 33: "no tests", 5: "no tests", 255: "mutmut failed"}


def modules():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]["only_mutate"]


def equivalents():
    """{mutant name: reason}, from lines `name: reason`; # starts a comment."""
    listed = {}
    for line in EQUIVALENTS.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, reason = line.partition(": ")
            listed[name.strip()] = reason.strip()
    return listed


def results(module):
    meta = ROOT / "mutants" / f"{module}.meta"
    if not meta.exists():
        sys.exit(f"No results for {module}: run `make mutation` first.")
    return json.loads(meta.read_text())["exit_code_by_key"]


def main(show_survivors=False):
    equivalent = equivalents()
    seen, killed_total, counted_total, survivors = set(), 0, 0, []
    for module in modules():
        codes = results(module)
        seen.update(codes)
        counted = {name: code for name, code in codes.items() if name not in equivalent and code not in SKIPPED}
        killed = sum(code in KILLED for code in counted.values())
        survivors += sorted(
            f"{name} ({STATUS.get(code, code)})" for name, code in counted.items() if code not in KILLED
        )
        print(f"{module}: killed {killed} of {len(counted)} ({percent(killed, len(counted))})")
        killed_total += killed
        counted_total += len(counted)
    print(f"total: killed {killed_total} of {counted_total} ({percent(killed_total, counted_total)})")
    if not_run := sum(name.endswith("(not run)") for name in survivors):
        print(f"note: {not_run} mutants were not run (an interrupted run?); they count as not killed", file=sys.stderr)
    for name in sorted(set(equivalent) - seen):
        print(f"note: {name} is listed in {EQUIVALENTS.name} but is no longer a mutant", file=sys.stderr)
    if show_survivors:
        for name in survivors:
            print(f"not killed: {name}")


def percent(part, whole):
    return f"{100 * part / whole:.0f}%" if whole else "no mutants"


if __name__ == "__main__":
    main(show_survivors="--survivors" in sys.argv[1:])
