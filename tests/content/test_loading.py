"""Bounded loading: no content file can stall, crash or exhaust whoever reads it.

Each hostile file is refused with a message naming it, in a few seconds.
"""

import os
import time
from pathlib import Path

import pytest

from articles.render.library import load_library
from tests.conftest import CLINIC, Guide

FRONT = "---\ntitle: A page\nsummary: About it.\norder: 2\nnext_review_due: 2027-01-01\n---\n"


def problems_for(guide, name):
    started = time.monotonic()
    library = load_library(drafts=True)
    elapsed = time.monotonic() - started
    return [str(problem) for problem in library.problems if name in str(problem.path)], elapsed, library


@pytest.fixture
def readers(settings):
    """Each file read in a child, as publishing reads them, in the quick test run too (settings/test.py)."""
    settings.CONTENT_READ_IN_CHILDREN = True


@pytest.fixture
def quick(settings):
    settings.CONTENT_RENDER_SECONDS = 0.5  # far over what a page takes; short, as each slow file waits for it


@pytest.mark.parametrize(
    ("body", "in_children"),
    [
        pytest.param("[" * 12_000, True, id="12000-brackets"),
        pytest.param("![" * 10_000, True, id="10000-image-brackets"),
        pytest.param("[" * 12_000, False, id="12000-brackets-read-here"),  # the quick test run's way
    ],
)
def test_a_file_that_renders_too_slowly_is_stopped_and_named(guide, quick, settings, body, in_children):
    settings.CONTENT_READ_IN_CHILDREN = in_children
    guide.page("index")
    # No evidence log: writing one would render the page here, with no time limit.
    guide.raw("slow", FRONT + body + "\n", evidence=False)
    messages, elapsed, library = problems_for(guide, "slow.md")
    assert messages == [
        "content/test-guide/slow.md: took more than 0.5 seconds to read, so it was stopped; "
        "look for long runs of [ or ! characters, or lists nested very deep, and remove them."
    ]
    assert elapsed < 5
    assert library.guide("test-guide").page("") is not None, "the other pages still load"


def test_a_list_nested_a_thousand_deep_is_refused(guide, settings):
    """Each "- " opens a list inside the item before it: a thousand levels in 2 KB, far under the size limit."""
    guide.page("index")
    deep = guide.raw("deep", FRONT + "- " * 1000 + "item\n")
    assert deep.stat().st_size < settings.CONTENT_MAX_BYTES / 100
    messages, elapsed, library = problems_for(guide, "deep.md")
    assert messages == [
        "content/test-guide/deep.md: is nested too deeply to read; use fewer levels of lists or quotes."
    ]
    assert elapsed < 5
    assert library.guide("test-guide").page("") is not None, "the other pages still load"


def test_a_huge_file_is_refused_without_reading_it_all(guide, quick):
    """A terabyte (sparse: it takes no disk). Read whole, it would exhaust the memory or the time limit
    and be refused with another message."""
    guide.page("index")
    with open(guide.folder / "huge.md", "wb") as file:
        file.write(FRONT.encode())
        file.truncate(2**40)
    messages, elapsed, _ = problems_for(guide, "huge.md")
    assert messages == [
        "content/test-guide/huge.md: is larger than 256 KB; split it into shorter pages; a page is a few hundred words."
    ]
    assert elapsed < 5


def test_a_file_of_exactly_the_size_limit_is_published_and_one_byte_more_is_refused(guide, settings):
    settings.CONTENT_MAX_BYTES = 4096
    guide.page("index")
    for name, size in (("exact", 4096), ("over", 4097)):
        text = FRONT.replace("A page", name).replace("order: 2", f"order: {size - 4094}") + "Some words. " * 400
        guide.raw(name, text[: size - 1] + "\n")
        assert (guide.folder / f"{name}.md").stat().st_size == size
    messages, _, library = problems_for(guide, "test-guide/")
    assert messages == [
        "content/test-guide/over.md: is larger than 4 KB; split it into shorter pages; a page is a few hundred words."
    ]
    assert library.guide("test-guide").page("exact").title == "exact"


@pytest.mark.parametrize("name", ["benefits.md", "guide.yaml", "site.yml"])
def test_a_content_file_saved_beside_the_guide_folders_is_reported(guide, name):
    """Saved one folder too high, a page would never be published: the editor is told, not left guessing."""
    guide.page("index")
    (guide.root / name).write_text(FRONT)
    (guide.root / "published-urls.txt").write_text("/test-guide/\n")  # plain text beside the guides is fine
    assert [str(problem) for problem in load_library(drafts=True).problems] == [
        f"content/{name}: is not a guide folder; put each guide in a folder of its own."
    ]


def test_a_file_deleted_while_it_is_being_published_is_named(guide):
    """Listed, then deleted by the editor before it was read: the message says what happened and what to do."""
    from articles.content.files import scan
    from articles.render.library import load_files

    guide.page("index")
    page = guide.page("benefits", order=2)
    folders, _, _ = scan(guide.root)
    page.unlink()
    status, problems = load_files(folders[guide.folder])[page]
    assert status == "problems"
    assert [str(problem) for problem in problems] == [
        "content/test-guide/benefits.md: disappeared while it was being read; publish again."
    ]


def test_a_symlink_loop_is_refused(guide):
    guide.page("index")
    os.symlink("loop.md", guide.folder / "loop.md")
    messages, _, _ = problems_for(guide, "loop.md")
    assert messages == [
        "content/test-guide/loop.md: is a link; content files must be ordinary files saved in the content folder."
    ]


def test_a_folder_symlink_loop_is_refused(guide):
    guide.page("index")
    os.symlink(guide.root, guide.root / "again")
    messages, _, library = problems_for(guide, "again")
    assert messages == ["content/again: is not a guide folder; put each guide in a folder of its own."]
    assert library.guide("test-guide")


def test_a_fifo_is_refused_without_blocking(guide):
    guide.page("index")
    os.mkfifo(guide.folder / "x.md")
    messages, elapsed, _ = problems_for(guide, "x.md")
    assert messages == [
        "content/test-guide/x.md: is not a plain file; content files must be ordinary files saved in the content folder."
    ]
    assert elapsed < 5


def test_a_symlink_to_dev_zero_is_refused(guide):
    guide.page("index")
    os.symlink("/dev/zero", guide.folder / "zero.md")
    messages, elapsed, _ = problems_for(guide, "zero.md")
    assert messages == [
        "content/test-guide/zero.md: is a link; content files must be ordinary files saved in the content folder."
    ]


def test_a_file_swapped_for_a_link_after_the_scan_is_still_refused(guide):
    """The check is made again when the file is opened (O_NOFOLLOW), not only when the folder is listed."""
    from articles.content.files import read_bounded
    from articles.content.problems import ContentError

    os.symlink("/etc/passwd", guide.folder / "sneaky.md")
    with pytest.raises(ContentError, match="is a link"):
        read_bounded(guide.folder / "sneaky.md")


def test_a_folder_with_pages_but_no_guide_yaml_gets_one_message(guide):
    guide.page("index")
    other = guide.root / "second-guide"
    other.mkdir()
    (other / "index.md").write_text(FRONT)
    messages, _, _ = problems_for(guide, "second-guide")
    assert messages == [
        "content/second-guide: has pages but no guide.yaml, so it is not published; "
        "copy guide.yaml from another guide's folder and change its title and summary."
    ]


def test_every_address_the_application_answers_is_reserved():
    """A guide folder named `admin` published, and patients following its links got the staff login."""
    from django.conf import settings

    from articles.content.addresses import RESERVED_GUIDE_SLUGS

    for path in (*settings.APPLICATION_PATHS, "/healthz"):
        assert path.strip("/").split("/")[0] in RESERVED_GUIDE_SLUGS, path


@pytest.mark.parametrize("name", ["admin", "feedback", "healthz"])
def test_the_applications_names_cannot_be_guides_but_may_be_pages(guide, name):
    from tests.conftest import Guide

    guide.page("index")
    guide.page(name, order=2)  # /test-guide/feedback/ collides with nothing
    Guide(guide.root, slug=name).page("index")
    messages = [str(problem) for problem in load_library(drafts=True).problems]
    assert [message for message in messages if name in message] == [
        f"content/{name}: the folder name '{name}' cannot be a guide's address; '{name}' is an address the site "
        "itself uses; choose another folder name."
    ]


@pytest.mark.parametrize("name", ["print", "qr", "404", "static", "privacy"])
def test_reserved_names_cannot_be_guides_pages_or_former_pages(guide, name):
    from tests.conftest import Guide

    guide.page("index", former_slugs=f'["{name}"]')
    guide.page(name, order=2)
    Guide(guide.root, slug=name).page("index")
    messages = [str(problem) for problem in load_library(drafts=True).problems]
    assert any(f"the former address '{name}' is used by the site itself" in message for message in messages)
    assert any(f"the file name '{name}.md' cannot be a page address" in message for message in messages)
    assert any(f"the folder name '{name}' cannot be a guide's address" in message for message in messages)


def test_a_file_swapped_for_a_fifo_after_the_scan_is_refused_without_waiting(guide, quick):
    """Opened without blocking: a FIFO put in a page's place is named at once, not waited on until the time limit."""
    from articles.content.files import scan
    from articles.render.library import load_files

    guide.page("index")
    page = guide.page("benefits", order=2)
    folders, _, _ = scan(guide.root)
    page.unlink()
    os.mkfifo(page)
    status, problems = load_files(folders[guide.folder])[page]
    assert [str(problem) for problem in problems] == [
        "content/test-guide/benefits.md: is not a plain file; content files must be ordinary files saved in the content folder."
    ]


@pytest.mark.parametrize("name", ["___", "Print"])
def test_a_guide_folder_with_no_usable_name_gets_the_general_rename_hint(guide, name):
    """No letters or digits to suggest from, or only a name the site uses: the hint says how names are made."""
    from tests.conftest import Guide

    guide.page("index")
    Guide(guide.root, slug=name).page("index")
    assert [str(problem) for problem in load_library(drafts=True).problems] == [
        f"content/{name}: the folder name '{name}' cannot be a guide's address; "
        "rename the folder in lowercase words joined by hyphens, e.g. botox-jaw-pain."
    ]


def test_in_a_large_library_a_slow_file_stops_only_its_own_reader(guide, readers, quick, monkeypatch):
    """A library large enough for one reader a core: the slow file is named, every other page loads,
    including those its reader had not reached yet."""
    from articles.render import library as loading

    monkeypatch.setattr(loading, "LOAD_FILES_A_CHILD", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    guide.page("index")
    for number in range(2, 10):
        guide.page(f"page-{number}", order=number, title=f"Page {number}")
    guide.raw("page-10", FRONT.replace("order: 2", "order: 10") + "[" * 12_000 + "\n", evidence=False)
    for number in range(11, 16):
        guide.page(f"page-{number}", order=number, title=f"Page {number}")
    messages, elapsed, library = problems_for(guide, "page-10.md")
    assert messages == [
        "content/test-guide/page-10.md: took more than 0.5 seconds to read, so it was stopped; "
        "look for long runs of [ or ! characters, or lists nested very deep, and remove them."
    ]
    assert elapsed < 5
    loaded = {page.title for page in library.guide("test-guide").pages}
    assert loaded == {"A page", *(f"Page {number}" for number in [*range(2, 10), *range(11, 16)])}


# --- What load_library gathers: the clinic, the sign-offs, the drafts, each guide on its own --------


def test_the_clinics_site_yaml_names_the_clinic_and_a_broken_one_is_a_problem(guide):
    guide.page("index")
    assert load_library(drafts=False).site.organisation == ""  # no site.yaml: the neutral identity
    (guide.root / "site.yaml").write_text(CLINIC)
    library = load_library(drafts=False)
    assert library.site.organisation == "Riverside Dental Clinic"
    assert library.problems == ()
    (guide.root / "site.yaml").write_text(CLINIC.replace('phone: "020 7946 0000"\n', ""))
    library = load_library(drafts=False)
    assert library.site.organisation == ""
    assert [str(problem) for problem in library.problems] == [
        "content/site.yaml: 'phone' is missing; add a line like: phone: \"020 7946 0000\"."
    ]


def test_the_clinics_emergency_advice_reaches_every_page(guide):
    guide.page("index", body='!!! urgent "Get help now"\n    Swelling of the throat.\n')
    advice = "In an emergency, call 112 at once."
    (guide.root / "site.yaml").write_text(CLINIC.replace("In an emergency, call 999 or go to A&E now.", advice))
    [page] = load_library(drafts=False).guide("test-guide").pages
    assert advice in page.body.html


def test_drafts_are_kept_for_the_preview_only(guide):
    guide.page("index")
    guide.page("later", order=2, draft="true")
    assert [page.file_stem for page in load_library(drafts=True).guide("test-guide").pages] == ["index", "later"]
    assert [page.file_stem for page in load_library(drafts=False).guide("test-guide").pages] == ["index"]


def test_a_sign_off_reaches_its_page(guide):
    guide.page("index")
    guide.signed_off("index", "2026-01-05")
    [page] = load_library(drafts=False).guide("test-guide").pages
    assert page.signoff is not None and page.signoff.reviewer == "Dr Ann Example"


def test_a_guide_whose_guide_yaml_is_broken_is_reported_and_the_next_guide_still_loads(guide):
    broken = Guide(guide.root, slug="a-broken-guide")
    broken.page("index")
    (broken.folder / "guide.yaml").write_text("title: [unclosed\n")
    guide.page("index")
    library = load_library(drafts=False)
    assert list(library.guides) == ["test-guide"]
    assert {str(problem.path) for problem in library.problems} == {str(broken.folder / "guide.yaml")}


def test_a_page_that_breaks_the_reader_is_a_problem_naming_it_and_the_rest_still_loads(guide, monkeypatch):
    from articles.render import library as loading

    guide.page("index")
    guide.page("deep", order=2)
    guide.page("buggy", order=3)
    real = loading.load_page

    def load_page(path, site=None):
        if path.stem == "deep":
            raise RecursionError("maximum recursion depth exceeded")
        if path.stem == "buggy":
            raise ValueError("a bug of ours")
        return real(path, site)

    monkeypatch.setattr(loading, "load_page", load_page)
    library = load_library(drafts=False)
    assert sorted(str(problem) for problem in library.problems) == [
        "content/test-guide/buggy.md: could not be loaded (ValueError: a bug of ours); tell a developer.",
        "content/test-guide/deep.md: is nested too deeply to read; use fewer levels of lists or quotes.",
    ]
    assert [page.file_stem for page in library.guide("test-guide").pages] == ["index"]
    assert library.root == guide.root


def test_with_the_load_cache_a_changed_clinic_or_evidence_log_loads_the_page_again(guide, tmp_path):
    from articles.publish.cache import LoadCache

    page = guide.page("index", body='!!! urgent "Get help now"\n    Swelling of the throat.\n')
    (guide.root / "site.yaml").write_text(CLINIC)
    cache = LoadCache(tmp_path / "releases")
    [first] = load_library(drafts=False, cache=cache).guide("test-guide").pages
    assert "call 999" in first.body.html
    (guide.root / "site.yaml").write_text(CLINIC.replace("call 999", "call 112"))
    [again] = load_library(drafts=False, cache=cache).guide("test-guide").pages
    assert "call 112" in again.body.html
    evidence = page.with_suffix(".evidence.yaml")
    evidence.write_text(evidence.read_text() + "- sentence: A sentence added to the log.\n  no_claim: note\n")
    [logged] = load_library(drafts=False, cache=cache).guide("test-guide").pages
    assert logged.text_hash != again.text_hash
    [unchanged] = load_library(drafts=False, cache=cache).guide("test-guide").pages
    assert unchanged == logged


# --- The reader children: a reader that dies or takes too long, the files after it, the load cache ---


def test_a_file_that_kills_its_reader_is_named_once_and_the_files_after_it_still_load(
    guide, readers, monkeypatch, tmp_path
):
    """A crash in C or the out-of-memory killer ends the reader: the file it was reading is named (and not
    read again: it would kill the next reader too), and the files after it are read by a new one."""
    from articles.render import library as loading

    guide.page("index")
    for number, name in enumerate(["a-before", "b-crash", "c-after", "d-after"], start=2):
        guide.page(name, order=number, title=name)
    real = loading.load_page
    crashed = tmp_path / "crashed"

    def load_page(path, site=None):
        if path.stem == "b-crash" and not crashed.exists():
            crashed.touch()  # once: read again, it would load, and the message would be lost
            os._exit(70)
        return real(path, site)

    monkeypatch.setattr(loading, "load_page", load_page)
    library = load_library(drafts=False)
    assert [str(problem) for problem in library.problems] == [
        "content/test-guide/b-crash.md: stopped the reader unexpectedly; tell a developer."
    ]
    assert [page.title for page in library.guide("test-guide").pages] == ["A page", "a-before", "c-after", "d-after"]


def test_a_file_over_the_time_limit_stops_its_reader_and_the_files_after_it_load_as_before(
    guide, readers, settings, monkeypatch, tmp_path
):
    """The files after the slow one go on in a new reader: with the clinic's details, into the load cache."""
    from articles.publish.cache import LoadCache
    from articles.render import library as loading

    settings.CONTENT_RENDER_SECONDS = 0.5
    advice = "In an emergency, call 112 at once."
    (guide.root / "site.yaml").write_text(CLINIC.replace("In an emergency, call 999 or go to A&E now.", advice))
    urgent = '!!! urgent "Get help now"\n    Swelling of the throat.\n'
    guide.page("index", body=urgent)
    for number, name in enumerate(["b-stuck", "c-after", "d-after"], start=2):
        guide.page(name, order=number, title=name, body=urgent)
    real = loading.load_page

    def load_page(path, site=None):
        if path.stem == "b-stuck":
            time.sleep(5)  # far over the limit; bounded, so a reader that is never stopped ends the test
        return real(path, site)

    monkeypatch.setattr(loading, "load_page", load_page)
    library = load_library(drafts=False, cache=LoadCache(tmp_path / "releases"))
    assert [str(problem) for problem in library.problems] == [
        "content/test-guide/b-stuck.md: took more than 0.5 seconds to read, so it was stopped; "
        "look for long runs of [ or ! characters, or lists nested very deep, and remove them."
    ]
    pages = library.guide("test-guide").pages
    assert [page.title for page in pages] == ["A page", "c-after", "d-after"]
    assert all(advice in page.body.html for page in pages)


def test_make_test_reads_each_file_in_a_child_and_make_test_fast_in_this_process(settings):
    """`make test` (CI) reads as publishing does; only `make test-fast` (QUICK_TESTS=1) reads here. Settings
    other than the tests' keep base's value (production's: tests/serve/test_settings.py)."""
    from botox_info.settings import base, dev

    assert settings.CONTENT_READ_IN_CHILDREN is (os.environ.get("QUICK_TESTS") != "1")
    assert base.CONTENT_READ_IN_CHILDREN is True and dev.CONTENT_READ_IN_CHILDREN is True


def test_read_in_this_process_the_library_is_the_one_the_children_read(settings, monkeypatch):
    """The quick test run reads each file in its own process (settings/test.py): the same library, no child."""
    from django.conf import settings as django_settings

    from articles.render import library as loading

    content = Path(django_settings.BASE_DIR) / "content"
    settings.CONTENT_READ_IN_CHILDREN = True
    from_children = load_library(content, drafts=True)
    settings.CONTENT_READ_IN_CHILDREN = False
    monkeypatch.setattr(loading, "_Child", None)  # a child started now would fail
    here = load_library(content, drafts=True)
    assert here == from_children and here.guides and not here.problems


def _unpicklable(path, site=None):
    return lambda: "a result no pipe can carry"


def _exits(path, site=None):
    raise SystemExit(3)


@pytest.mark.parametrize("in_children", [True, False], ids=["in-children", "read-here"])
@pytest.mark.parametrize("fault", [_unpicklable, _exits], ids=["unpicklable", "exits"])
def test_a_file_whose_reader_cannot_send_or_exits_is_named_read_here_or_in_a_child(
    guide, settings, monkeypatch, fault, in_children
):
    """The quick test run reads in its own process: whatever would end a child ends in the same problem."""
    from articles.render import library as loading

    settings.CONTENT_READ_IN_CHILDREN = in_children
    guide.page("index")
    guide.page("other", order=2, title="Other")
    real = loading.load_page
    monkeypatch.setattr(
        loading, "load_page", lambda path, site=None: (fault if path.stem == "other" else real)(path, site)
    )
    library = load_library(drafts=False)
    assert [str(problem) for problem in library.problems] == [
        "content/test-guide/other.md: stopped the reader unexpectedly; tell a developer."
    ]
    assert [page.title for page in library.guide("test-guide").pages] == ["A page"]


def test_a_library_shared_among_several_readers_loads_every_file(guide, readers, monkeypatch):
    from articles.render import library as loading

    monkeypatch.setattr(loading, "LOAD_FILES_A_CHILD", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    guide.page("index")
    for number in range(2, 5):
        guide.page(f"page-{number}", order=number, title=f"Page {number}")
    library = load_library(drafts=False)  # 5 files: two readers
    assert library.problems == ()
    assert [page.title for page in library.guide("test-guide").pages] == ["A page", "Page 2", "Page 3", "Page 4"]


def test_with_the_load_cache_an_unchanged_file_is_not_read_again_and_a_renamed_one_is(guide, monkeypatch, tmp_path):
    """A publish after a small change reads only what changed; a file renamed (same bytes, same inode) is
    read again, so its page moves to its new address."""
    from articles.publish.cache import LoadCache
    from articles.render import library as loading

    guide.page("index")
    benefits = guide.page("benefits", order=2, title="Benefits")
    cache = LoadCache(tmp_path / "releases")
    load_library(drafts=False, cache=cache)
    benefits.rename(benefits.with_name("results.md"))
    evidence = benefits.with_suffix(".evidence.yaml")
    evidence.rename(evidence.with_name("results.evidence.yaml"))
    moved = load_library(drafts=False, cache=cache)
    assert [page.slug for page in moved.guide("test-guide").pages] == ["", "results"]

    def broken(path, site=None):
        raise AssertionError(f"{path.name} was read again")

    monkeypatch.setattr(loading, "load_page", broken)
    again = load_library(drafts=False, cache=LoadCache(tmp_path / "releases"))
    assert again.problems == ()
    assert [page.slug for page in again.guide("test-guide").pages] == ["", "results"]


def test_loading_beside_other_threads_works_and_warns_no_one(guide, readers):
    """The editors' preview serves from threads: forking the readers there is safe (they only parse text),
    so Python's warning about forking a threaded process is not shown."""
    import threading
    import warnings

    guide.page("index")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            library = load_library(drafts=False)
    finally:
        stop.set()
        thread.join()
    assert [str(warning.message) for warning in caught] == []
    assert library.problems == () and library.guide("test-guide")


urlpatterns = []  # this module is also the URL table of the test below: one without the site's addresses


@pytest.mark.parametrize("in_children", [True, False], ids=["in-children", "read-here"])
def test_a_url_table_without_the_sites_addresses_gives_problems_not_a_crash(guide, settings, in_children):
    settings.CONTENT_READ_IN_CHILDREN = in_children  # in children, what they are given first must not crash
    guide.page("index", body="See [the results](results.md).\n")
    guide.page("results", order=2)
    settings.ROOT_URLCONF = __name__
    library = load_library(drafts=True)
    assert [problem.path.name for problem in library.problems] == ["index.md"], library.problems
    assert "could not be loaded" in str(library.problems[0])
