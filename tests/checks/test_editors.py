"""Issue 13: each problem an editor found, checked against a temporary content folder.

Every message is asserted whole, with the fix it suggests: the same lines show
in the preview, `make check`, `make report` and a refused publish.
"""

import os
import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.core.management import call_command

from articles.checks.markup import RESERVED_IDS
from articles.checks.site import content_problems
from articles.render.library import load_library
from articles.render.pipeline import render
from tests.forked import Forked

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = "## Less pain {#less-pain}\n\n## Lasting effect {#lasting-effect}\n"


def messages():
    """Every problem of the content folder, as an editor reads it."""
    return [str(problem) for problem in content_problems(load_library(drafts=True))]


def rendered(body):
    return render(body, "content/g/page.md", page_url=lambda stem, fragment: f"/g/{stem}/")


def render_messages(body):
    return [f"{problem.message}; {problem.hint}" for problem in rendered(body).problems]


# --- Links checked as a browser follows them, each with the closest real target ---------


@pytest.mark.parametrize(
    "link, expected",
    [
        (
            "[side effects](side-effects)",
            "line 7: links to 'side-effects', which is not a page: a link to another page names its file; "
            "did you mean 'side-effects.md'?",
        ),
        (
            "[side effects](side-effects/#less-pain)",
            "line 7: links to 'side-effects/#less-pain', which is not a page: a link to another page names its file; "
            "did you mean 'side-effects.md#less-pain'?",
        ),
        (
            "[side effects](side-efects.md)",
            "line 7: links to 'side-efects.md', but there is no page side-efects.md; did you mean 'side-effects.md'?",
        ),
        (
            "[pain](side-effects.md#les-pain)",
            "line 7: links to the section '#les-pain', which is not on side-effects.md; "
            "did you mean '#less-pain'? Its sections are: #less-pain, #lasting-effect.",
        ),
        (
            "[pain](side-effects.md#dosage)",
            "line 7: links to the section '#dosage', which is not on side-effects.md; "
            "its sections are: #less-pain, #lasting-effect.",
        ),
        (
            "[site](/test-guide/side-effects)",
            "line 7: links to '/test-guide/side-effects', which is not a page of this site; "
            "did you mean '/test-guide/side-effects/'?",
        ),
        (
            "[site](\\test-guide\\side-effects\\)",
            "",  # a browser reads each backslash as a slash: /test-guide/side-effects/ is a page
        ),
    ],
)
def test_every_internal_link_is_checked_as_a_browser_follows_it(guide, link, expected):
    guide.page("index", body=f"{link}\n")
    guide.page("side-effects", order=2, body=SECTIONS)
    found = messages()
    assert found == ([f"content/test-guide/index.md, {expected}"] if expected else [])


def test_a_link_to_a_page_that_does_not_load_gets_no_second_message(guide):
    guide.page("index", body="[benefits](benefits.md)\n")
    guide.page("benefits", order="two")
    assert messages() == [
        "content/test-guide/benefits.md, line 4: 'order' should be a whole number (got 'two'); e.g. 3."
    ]


def test_an_image_that_does_not_exist_suggests_the_closest_file(guide):
    guide.page("index", body="![The icon](/static/img/favicon.svgg)\n")
    assert messages() == [
        "content/test-guide/index.md, line 7: shows the image '/static/img/favicon.svgg', which does not exist; "
        "did you mean '/static/img/favicon.svg'?"
    ]


# --- No way round the checks ----------------------------------------------------------------


def test_an_internal_marker_in_an_attribute_list_is_reported_not_trusted():
    assert render_messages('## Copy me {: #share-url data-checked="" }\n') == [
        "sets the attribute 'data-checked' on <h2>, which is not allowed; remove it from the {...} after the text",
        "the section id 'share-url' is used by the page layout; "
        "give the heading an id of its own, e.g. ## Heading {#other-name}",
    ]


def test_the_skip_links_target_cannot_be_taken():
    assert render_messages('## Main {: #main-content data-checked="" }\n') == [
        "sets the attribute 'data-checked' on <h2>, which is not allowed; remove it from the {...} after the text",
        "the section id 'main-content' is used by the page layout; "
        "give the heading an id of its own, e.g. ## Heading {#other-name}",
    ]


def test_an_event_handler_is_reported_and_never_reaches_the_page():
    result = rendered('Press here\n{: onclick="steal()" data-checked="" }\n')
    assert [problem.message for problem in result.problems] == [
        "sets the attribute 'onclick' on <p>, which is not allowed",
        "sets the attribute 'data-checked' on <p>, which is not allowed",
    ]
    assert "onclick" not in result.html and "data-checked" not in result.html


def test_a_link_marker_written_by_an_author_is_reported():
    result = rendered('[x](https://evil.example){: data-page="benefits" data-fragment="" }\n')
    assert [problem.message for problem in result.problems] == [
        "sets the attribute 'data-page' on <a>, which is not allowed",
        "sets the attribute 'data-fragment' on <a>, which is not allowed",
    ]
    assert 'href="https://evil.example"' in result.html


def test_a_paragraph_cannot_pass_for_a_callout_title():
    result = rendered("Fake title\n{: .admonition-title }\n")
    assert [problem.message for problem in result.problems] == [
        "sets the attribute 'class' on <p>, which is not allowed"
    ]
    assert "callout__title" not in result.html


def test_two_sections_with_one_id_are_reported():
    assert render_messages("## One {#same}\n\n## Two {#same}\n") == [
        "two sections have the id 'same'; give each heading an id of its own, e.g. ## Heading {#other-name}"
    ]


def test_every_id_the_templates_use_is_reserved():
    templates = "".join(path.read_text() for path in (ROOT / "templates").rglob("*.html"))
    literal_ids = set(re.findall(r'\bid="([^"{]+)"', templates))
    assert literal_ids <= RESERVED_IDS, f"add {literal_ids - RESERVED_IDS} to RESERVED_IDS"


@pytest.mark.parametrize(
    "src, shown",
    [(r"/\evil.example/pixel.gif", r"/\evil.example/pixel.gif"), (r"\\\\evil.example/a.gif", r"\\evil.example/a.gif")],
)
def test_an_image_a_browser_would_fetch_from_another_site_is_refused(src, shown):
    result = rendered(f"![A pixel]({src})\n")
    assert [problem.message for problem in result.problems] == [f"shows an image from another site ('{shown}')"]
    assert "evil.example" not in result.html


@pytest.mark.parametrize("body", ["<mailto:a@b.c>\n", "<a@b.c>\n", "<https://www.nhs.uk/>\n", "[mail](mailto:a@b.c)\n"])
def test_autolinks_and_mailto_are_not_false_alarms(body):
    result = rendered(body)
    assert result.problems == ()
    assert 'href="' in result.html


def test_a_direction_changing_character_is_refused_in_every_text_field(guide):
    rlo = "\u202e"
    (guide.folder / "guide.yaml").write_text(
        f"title: Test guide\nsummary: A guide.\naudience: Testers\nabout: [Bruxism{rlo}]\n"
    )
    guide.raw(
        "index",
        "---\ntitle: A page\nsummary: What the page is about.\norder: 1\n"
        "next_review_due: 2027-01-01\n"
        f"sources:\n  - title: NHS{rlo}gro.shn\n    url: https://www.nhs.uk/\n---\nText.\n",
    )
    (guide.root / "site.yaml").write_text(
        f"organisation: Clinic{rlo}\nphone: '0'\nemergency_advice: Call 999.\nprivacy_contact: a@b.c\n"
    )
    assert sorted(messages()) == [
        "content/site.yaml, line 1: 'organisation' contains an invisible or direction-changing character "
        "(U+202E RIGHT-TO-LEFT OVERRIDE); retype it by hand.",
        "content/test-guide/guide.yaml, line 4: 'about' contains an invisible or direction-changing character "
        "(U+202E RIGHT-TO-LEFT OVERRIDE); retype it by hand.",
        "content/test-guide/index.md, line 7: the source title 'NHS\\u202egro.shn' contains an invisible or "
        "direction-changing character (U+202E RIGHT-TO-LEFT OVERRIDE); retype it by hand.",
    ]


# --- Many guides ----------------------------------------------------------------------------


def copy_real_guide(root, name):
    shutil.copytree(ROOT / "content" / "botox-jaw-pain", root / name)


@pytest.fixture
def two_guides(settings, tmp_path):
    settings.CONTENT_DIR = tmp_path / "content"
    settings.BASE_DIR = tmp_path
    copy_real_guide(settings.CONTENT_DIR, "botox-jaw-pain")
    copy_real_guide(settings.CONTENT_DIR, "botox-headache")
    (settings.CONTENT_DIR / "botox-headache" / "guide.yaml").write_text(
        "title: Botox for headache\nsummary: A second guide.\naudience: Patients with headaches\nabout: [Migraine]\n"
    )
    return settings.CONTENT_DIR


@pytest.mark.django_db  # the report shows each page's feedback
def test_two_guides_load_side_by_side_and_the_report_tells_them_apart(two_guides):
    library = load_library(drafts=True)
    assert [guide.title for guide in library.guides.values()] == ["Botox for headache", "Botox for jaw pain"]
    assert content_problems(library) == []
    out = StringIO()
    call_command("content_report", stdout=out)
    rows = [line for line in out.getvalue().splitlines() if " Overview " in f" {line} "]
    assert [row.split()[0] for row in rows] == ["botox-headache", "botox-jaw-pain"]


def test_a_copied_folder_without_guide_yaml_gets_exactly_one_message(two_guides):
    (two_guides / "botox-headache" / "guide.yaml").unlink()
    assert messages() == [
        "content/botox-headache: has pages but no guide.yaml, so it is not published; "
        "copy guide.yaml from another guide's folder and change its title and summary."
    ]


@pytest.mark.django_db  # the report shows each page's feedback
def test_a_folder_named_like_a_title_gets_exactly_one_message(two_guides, preview):
    (two_guides / "botox-headache").rename(two_guides / "Test Guide 2")
    expected = (
        "content/Test Guide 2: the folder name 'Test Guide 2' cannot be a guide's address; "
        "rename the folder to 'test-guide-2': lowercase words joined by hyphens (it is the guide's address)."
    )
    assert messages() == [expected]
    out = StringIO()
    call_command("content_report", stdout=out)
    assert out.getvalue().count("ERROR: ") == 1 and expected in out.getvalue()
    text = preview.get("/botox-jaw-pain/").text
    assert "the content has 1 problem." in text and "NoReverseMatch" not in text


# --- The preview ----------------------------------------------------------------------------


def test_the_preview_shows_a_broken_link_at_the_top_of_the_page(preview, guide):
    guide.page("index", body="[side effects](side-effects)\n")
    guide.page("side-effects", order=2)
    text = preview.get("/test-guide/").text
    assert "Preview: the content has 1 problem." in text
    assert (
        "content/test-guide/index.md, line 7: links to &#x27;side-effects&#x27;, which is not a page: "
        "a link to another page names its file; did you mean &#x27;side-effects.md&#x27;?" in text
    )


@pytest.mark.parametrize("href", ["side-effects", "side-efects.md", "/test-guide/nowhere/", "side-effects/x/y"])
def test_following_a_broken_link_in_the_preview_shows_the_sites_404_with_the_reason(preview, guide, href):
    guide.page("index", body=f"[broken]({href})\n")
    guide.page("side-effects", order=2)
    target = re.search(r'<a href="([^"]*)">broken</a>', preview.get("/test-guide/").text)[1]
    response = preview.get(urljoin("/test-guide/", target))
    assert response.status_code == 404
    assert "<strong>Preview:</strong>" in response.text
    assert "Page not found" in response.text and "Django" not in response.text


# --- Commands -------------------------------------------------------------------------------


def editors_environment(content):
    """What an editor's shell has, with `content` as the content folder (manage.py's own settings: the preview's)."""
    environment = {**os.environ, "CONTENT_DIR": str(content), "PYTHONPATH": str(ROOT)}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.pop("PYTHONUNBUFFERED", None)
    return environment


def run(command, content):
    """Run a command as an editor would, on `content`; (exit code, everything it printed)."""
    result = subprocess.run(
        command, cwd=ROOT, env=editors_environment(content), capture_output=True, text=True, timeout=120
    )
    return result.returncode, result.stdout + result.stderr


def manage(content, *arguments):
    """`python manage.py *arguments` as an editor runs it on `content`, started by tests/forked.py (0.7 s
    sooner); (exit code, everything it printed). `run` for bin/ and make, which start their own Python."""
    code, out, err = Forked(*arguments, environment=editors_environment(content)).finish()
    return code, out + err


def test_bin_check_prints_only_the_editors_lines_and_the_count(guide):
    sourced = {"sources": '[{title: "A health service page", url: "https://example.org/health"}]'}
    guide.page("index", **sourced)
    guide.page("benefits", order="three", **sourced)
    code, output = run(["bin/check"], guide.root)
    assert output.splitlines() == [
        f"{guide.folder}/benefits.md, line 4: 'order' should be a whole number (got 'three'); e.g. 3.",
        "1 error.",
    ]
    for noise in ("SystemCheckError", "articles.E", "make: ***", "Error 1", "CommandError"):
        assert noise not in output
    assert code == 1, "bin/check fails on a problem"
    (guide.folder / "benefits.md").unlink()
    code, output = run(["bin/check"], guide.root)
    assert code == 0 and output == "No problems found: the content is ready to publish.\n"
    guide.page("benefits", order="three", **sourced)
    guide.page("other", order=3, body="[x](nowhere.md)\n", **sourced)
    code, output = manage(guide.root, "check_content")
    assert code == 1
    assert output.endswith("2 errors.\n")


def test_on_a_server_the_laptop_commands_refuse_to_publish(guide, tmp_path):
    """bin/publish's laptop settings would publish pages naming http://127.0.0.1:8000 beside the service's
    releases, as whoever ran it (a fresh helper's hostile review of deploy/)."""
    guide.page("index")
    (tmp_path / "env").write_text("DJANGO_SECRET_KEY=x\n")  # /etc/botox-info/env, where the README puts it
    releases = tmp_path / "releases"  # where a publish that went ahead would write
    environment = {**editors_environment(guide.root), "BOTOX_INFO_SERVER_ENV": str(tmp_path / "env")}
    environment["RELEASES_DIR"] = str(releases)
    result = subprocess.run(["bin/publish"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith(f"This machine is a server ({tmp_path / 'env'} holds its settings)")
    assert not releases.exists()
    # The report would read the laptop's database, not the service's (helper-55).
    result = subprocess.run(
        ["make", "--no-print-directory", "feedback"], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 2 and "This machine is a server" in result.stderr
    assert "Page" not in result.stdout and "No feedback" not in result.stdout


def test_make_check_fails_as_make_does_and_make_k_goes_on(guide):
    guide.page("index", order="three")
    code, output = run(["make", "--no-print-directory", "check"], guide.root)
    assert code == 2, "make's own failing status, not a signal"
    assert "'order' should be a whole number" in output
    # -k: a failing target does not stop the next one (lint runs and passes).
    code, output = run(["make", "--no-print-directory", "-k", "check", "lint"], guide.root)
    assert code == 2
    assert "'order' should be a whole number" in output and "All checks passed!" in output


def test_make_report_exits_0_with_errors_unless_strict(guide):
    guide.page("index", order="three")
    code, output = manage(guide.root, "content_report")
    assert code == 0 and "1 file, 1 error." in output and "SystemCheckError" not in output
    code, output = manage(guide.root, "content_report", "--strict")
    assert code == 1 and "CommandError" not in output


def test_check_content_passes_on_the_real_content():
    code, output = manage(ROOT / "content", "check_content", "--strict")
    assert (code, output) == (0, "No problems found: the content is ready to publish.\n")
