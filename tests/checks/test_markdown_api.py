"""An upgrade of python-markdown that changes what the pipeline relies on fails here, saying what changed."""

import markdown.postprocessors

from articles.checks import markdown_api


def test_the_installed_python_markdown_still_works_as_the_pipeline_expects():
    assert markdown_api.internals_changed() == []


def test_a_changed_priority_is_named(monkeypatch):
    monkeypatch.setitem(markdown_api.TREEPROCESSORS, "toc", 6)
    assert markdown_api.internals_changed() == ["treeprocessor 'toc' has priority 5 (expected 6)"]


def test_a_removed_hook_is_named(monkeypatch):
    monkeypatch.delattr(markdown.postprocessors.RawHtmlPostprocessor, "stash_to_string")
    assert any("stash_to_string is gone" in change for change in markdown_api.internals_changed())


def test_no_other_module_reaches_into_python_markdown():
    from pathlib import Path

    root = Path(markdown_api.__file__).resolve().parents[1]
    others = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "markdown_api.py" and "from markdown." in path.read_text()
    ]
    assert others == [], f"python-markdown internals used outside markdown_api.py: {others}"
