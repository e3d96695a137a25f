"""The code shows its pipeline: stage folders whose imports run one way, and no module imports itself back.

Every import counts, including those inside functions: a lazy import still ties two modules together.
"""

import ast
import functools
from pathlib import Path
from types import MappingProxyType

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The stages in the order the data flows; a module may import only from its own stage or earlier ones.
STAGES = ["content", "checks", "render", "publish", "serve", "export"]
APP_LEVEL = len(STAGES)  # views, urls, commands, report: Django's places, which may use every stage


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path):
    """Every articles.* module that the file imports, wherever in the file."""
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if (ROOT / (candidate.replace(".", "/") + ".py")).exists() else base)
    return {name for name in found if name == "articles" or name.startswith("articles.")}


@functools.cache  # three tests read the same files: parsed once a run (0.3 s each time), and read-only
def import_graph(root=ROOT / "articles"):
    return MappingProxyType({module_name(path): frozenset(imports_of(path)) for path in sorted(root.rglob("*.py"))})


def stage_of(module):
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else APP_LEVEL


def find_cycle(graph):
    """One import circle as a list of modules, or None."""
    visiting, done = [], set()

    def visit(module):
        if module in visiting:
            return visiting[visiting.index(module) :] + [module]
        if module in done:
            return None
        visiting.append(module)
        for target in sorted(graph.get(module, ())):
            if target in graph and (cycle := visit(target)):
                return cycle
        visiting.pop()
        done.add(module)
        return None

    for module in graph:
        if cycle := visit(module):
            return cycle
    return None


def test_no_module_imports_another_that_imports_it_back():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle)


def test_imports_run_from_later_stages_to_earlier_ones():
    wrong = [
        f"{module} (stage {STAGES[stage_of(module)]}) imports {target}"
        for module, targets in import_graph().items()
        if stage_of(module) < APP_LEVEL
        for target in targets
        if stage_of(target) > stage_of(module)
    ]
    assert not wrong, "\n".join(wrong)


def test_serving_workers_import_only_the_release_names():
    serving = {
        target
        for module, targets in import_graph().items()
        if module.startswith("articles.serve")
        for target in targets
        if not target.startswith("articles.serve")
    }
    assert serving <= {"articles.publish.releases", "articles.publish"}, serving


def test_every_stage_says_what_it_does_and_may_import():
    for stage in STAGES:
        doc = ast.get_docstring(ast.parse((ROOT / "articles" / stage / "__init__.py").read_text()))
        assert doc and "import" in doc, f"articles/{stage}/__init__.py should say what it does and may import"


def test_the_cycle_finder_finds_a_circle():
    # The checks above are only as good as this: a graph with a circle must be caught.
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("stage", STAGES)
def test_tests_mirror_the_stages(stage):
    assert (ROOT / "tests" / stage / "__init__.py").exists()
