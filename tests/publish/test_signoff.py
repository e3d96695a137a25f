"""Clinical sign-off through the real commands: `signoff`, then `publish`, then what a patient reads."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.content.reviews import add_months
from articles.publish.releases import current_release
from tests.site_pages import GUIDE_PAGES

from .test_metadata import json_ld

SIGNED = "Reviewed by Dr Ann O&#x27;Neill (Consultant in oral medicine) on"
HANDOUTS = ("/test-guide/print/", "/test-guide/print/summary/")


def run(name, *args, **options):
    """(exit status, stdout, stderr) of a management command."""
    out, err = StringIO(), StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err, **options)
    except SystemExit as exit:
        return exit.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def sign(target, **extra):
    return run("signoff", target, by="Dr Ann O'Neill", role="Consultant in oral medicine", **extra)


def publish():
    return run("publish")


def today_words():
    return f"{timezone.localdate():%-d %B %Y}"


@pytest.fixture
def two_pages(guide):
    guide.page("index", next_review_due=None, body="Botox can ease jaw pain.\n")
    guide.page("benefits", order=2, next_review_due=None, body="Less pain for some people.\n")
    return guide


def test_a_signed_off_page_says_who_reviewed_it_on_the_page_both_handouts_and_in_json_ld(two_pages, client):
    code, out, err = sign("test-guide/benefits", registration="GDC 123456")
    assert code == 0, err
    assert "Signed off test-guide/benefits" in out and "content/test-guide/reviews.yaml" in out
    assert publish()[0] == 0
    page = client.get("/test-guide/benefits/").text
    assert f'{SIGNED} <time datetime="{timezone.localdate().isoformat()}">{today_words()}</time>.' in page
    assert "Registration: GDC 123456." in page
    due = add_months(timezone.localdate(), 12)
    assert f'Next review due: <time datetime="{due.isoformat()}">' in page
    for handout in HANDOUTS:
        text = client.get(handout).text
        assert text.count(SIGNED) == 1, handout  # benefits only: the first page was not signed off
        assert text.count("Not yet reviewed by a doctor or dentist.") == 1, handout
    data = json_ld(client.get("/test-guide/benefits/"))
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Ann O'Neill",
        "jobTitle": "Consultant in oral medicine",
        "identifier": "GDC 123456",
    }
    assert data["lastReviewed"] == timezone.localdate().isoformat()
    first = json_ld(client.get("/test-guide/"))
    assert "reviewedBy" not in first and "lastReviewed" not in first
    assert "Not yet reviewed by a doctor or dentist." in client.get("/test-guide/").text


def test_changing_one_word_after_sign_off_says_the_page_was_updated_after_its_review(two_pages, client):
    sign("test-guide/benefits")
    publish()
    path = two_pages.folder / "benefits.md"
    two_pages.raw("benefits", path.read_text().replace("Less pain", "Less soreness"))
    code, out, err = publish()
    assert code == 0, err
    page = client.get("/test-guide/benefits/").text
    day = f'<time datetime="{timezone.localdate().isoformat()}">{today_words()}</time>'
    assert f"Updated on {day}, after its last review on {day} by Dr Ann O&#x27;Neill." in page
    assert "Reviewed by" not in page and "Next review due" not in page
    for handout in HANDOUTS:
        assert "after its last review on" in client.get(handout).text
    data = json_ld(client.get("/test-guide/benefits/"))
    assert "reviewedBy" not in data and "lastReviewed" not in data
    assert data["dateModified"] == timezone.localdate().isoformat()
    # Changing it back is the signed-off text again.
    two_pages.raw("benefits", path.read_text().replace("Less soreness", "Less pain"))
    publish()
    assert SIGNED in client.get("/test-guide/benefits/").text


def test_the_update_date_is_the_day_the_changed_text_was_first_published(two_pages, client, settings):
    two_pages.signed_off("benefits", "2025-12-01")
    path = two_pages.folder / "benefits.md"
    two_pages.raw("benefits", path.read_text().replace("Less pain", "Less soreness"))

    def published_on(day):
        publish()
        manifest = settings.RELEASES_DIR / current_release() / "manifest.json"
        recorded = json.loads(manifest.read_text())
        recorded["texts"]["test-guide/benefits"]["first_published"] = day  # as if published then
        manifest.write_text(json.dumps(recorded))
        two_pages.raw("index", (two_pages.folder / "index.md").read_text() + "\nMore.\n")
        publish()  # another page changed: benefits' text did not, so its date stays
        return client.get("/test-guide/benefits/").text

    assert 'Updated on <time datetime="2026-01-02">2 January 2026</time>' in published_on("2026-01-02")
    # Words published before the review, then changed (a picture, the clinic's advice): no "Updated on"
    # a day before the review it says it came after.
    page = published_on("2025-11-01")
    assert 'Changed since its last review on <time datetime="2025-12-01">1 December 2025</time>' in page
    assert "Updated on" not in page


def test_a_changed_evidence_log_also_needs_a_new_sign_off(two_pages, client):
    evidence = two_pages.folder / "benefits.evidence.yaml"
    sign("test-guide/benefits")
    publish()
    assert SIGNED in client.get("/test-guide/benefits/").text
    evidence.write_text(evidence.read_text().replace("no_claim: note", "no_claim: step"))
    publish()
    assert "after its last review" in client.get("/test-guide/benefits/").text


def test_requiring_clinical_review_refuses_the_publish_naming_page_and_command(two_pages, client, settings):
    sign("test-guide/benefits")
    assert publish()[0] == 0
    live = current_release()
    before = client.get("/test-guide/").text
    settings.REQUIRE_CLINICAL_REVIEW = True
    two_pages.raw("index", (two_pages.folder / "index.md").read_text() + "\nNew words.\n")
    code, out, err = publish()
    assert code == 1
    assert (
        "content/test-guide/index.md: has not been signed off by a clinician, and this site publishes only "
        "signed-off pages (REQUIRE_CLINICAL_REVIEW is on); once a clinician has reviewed the page as it is now, "
        'sign it off: make signoff PAGE=test-guide/index BY="Their name" ROLE="Their role".'
    ) in err
    assert "benefits.md" not in err  # its sign-off is of its current text
    assert f"Not published: 1 problem to fix first. The site still serves release {live}." in err
    checked = run("check_content")  # what bin/check says: the same (it said "No problems found")
    assert checked[0] == 1 and "content/test-guide/index.md: has not been signed off by a clinician" in checked[1]
    assert current_release() == live
    assert client.get("/test-guide/").text == before
    # Signed off as it is now, it publishes.
    sign("test-guide/index")
    assert publish()[0] == 0 and current_release() != live


def test_requiring_clinical_review_names_a_page_changed_since_its_sign_off(two_pages, settings):
    sign("test-guide/*")
    settings.REQUIRE_CLINICAL_REVIEW = True
    assert publish()[0] == 0
    path = two_pages.folder / "benefits.md"
    two_pages.raw("benefits", path.read_text().replace("Less pain", "Less soreness"))
    code, _, err = publish()
    assert code == 1
    assert f"benefits.md: has changed since Dr Ann O'Neill signed it off on {timezone.localdate().isoformat()}" in err
    assert "make signoff PAGE=test-guide/benefits" in err


def test_requiring_review_is_read_from_the_environment(monkeypatch):
    import importlib

    from botox_info.settings import base

    monkeypatch.setenv("REQUIRE_CLINICAL_REVIEW", "true")
    assert importlib.reload(base).REQUIRE_CLINICAL_REVIEW is True
    monkeypatch.delenv("REQUIRE_CLINICAL_REVIEW")
    assert importlib.reload(base).REQUIRE_CLINICAL_REVIEW is False


def test_signing_off_a_guide_signs_every_page_and_keeps_earlier_sign_offs(two_pages):
    sign("test-guide/benefits")
    code, out, _ = sign("test-guide/*")
    assert code == 0
    assert "Signed off test-guide/index" in out and "Signed off test-guide/benefits" in out
    reviews = (two_pages.folder / "reviews.yaml").read_text()
    assert reviews.startswith("# Clinical sign-offs for this guide")
    assert reviews.count("- page: benefits") == 2 and reviews.count("- page: index") == 1
    assert "reviewer: Dr Ann O'Neill" in reviews


@pytest.mark.parametrize("target", ["test-guide/", "/test-guide/"])
def test_the_address_of_a_guide_signs_off_its_front_page_only(two_pages, target):
    """ "/test-guide/" is the front page's address: signing off every page needs test-guide/*."""
    code, out, _ = sign(target)
    assert code == 0 and out.count("Signed off") == 1 and "Signed off test-guide/index" in out


def test_a_guide_named_without_a_page_is_refused_with_both_ways_to_say_it(two_pages):
    code, _, err = sign("test-guide")
    assert code == 1
    assert err.strip() == (
        "Say which page of test-guide to sign off: PAGE=test-guide/index for its front page, "
        "or PAGE='test-guide/*' for every page of the guide (the reviewer must have read them all)."
    )
    assert not (two_pages.folder / "reviews.yaml").exists()


def test_a_page_with_problems_is_not_signed_off(two_pages):
    two_pages.page("benefits", order=2, body="[Broken](nowhere.md)\n")
    code, out, err = sign("test-guide/benefits")
    assert code == 1
    assert err.splitlines() == [
        "content/test-guide/benefits.md, line 7: links to 'nowhere.md', but there is no page nowhere.md; "
        "the guide's pages are: index.md, benefits.md.",
        "Not signed off: 1 problem to fix first. Nothing was written to content/test-guide/reviews.yaml.",
    ]
    assert not (two_pages.folder / "reviews.yaml").exists()
    assert sign("test-guide/*")[0] == 1  # nor the guide it is in
    assert sign("test-guide/index")[0] == 0  # another page is fine


@pytest.mark.parametrize(
    "target, by, expected",
    [
        (
            "test-guide/nope",
            "Dr A",
            "There is no page content/test-guide/nope.md (the guide's pages: index, benefits).",
        ),
        ("no-guide/index", "Dr A", "There is no guide 'no-guide' in content (its guides: test-guide)."),
        ("test-guide/index", " ", "Say the reviewer's name (BY): make signoff PAGE="),
    ],
)
def test_signoff_says_what_is_wrong_with_what_it_was_asked(two_pages, target, by, expected):
    code, _, err = run("signoff", target, by=by, role="Dentist")
    assert code == 1
    assert err.startswith(expected)


MALFORMED = [
    (
        "signoffs:\n  - page: index\n    reviewer: Dr A\n    role: Dentist\n    date: 2026-13-01\n    text: x\n",
        [
            "content/test-guide/reviews.yaml, line 5: 'date' is not a date (got '2026-13-01'); use YYYY-MM-DD.",
            "content/test-guide/reviews.yaml, line 6: 'text' is not a text fingerprint (got 'x'); do not edit "
            "sign-offs by hand: delete this entry and sign the page off again with make signoff.",
        ],
    ),
    (
        "signoffs:\n  - page: index\n    reviewer: [Dr A\n",
        [
            "content/test-guide/reviews.yaml, line 4: the file is not valid YAML (did not find expected ',' or ']'); check this line: each field is 'name: value', and text containing ': ' or '#' "
            "goes in quotes."
        ],
    ),
    (
        "signoffs:\n  - page: index\n",
        [
            "content/test-guide/reviews.yaml, line 2: 'reviewer' is missing; add a line like: reviewer: Dr Ann Example.",
            "content/test-guide/reviews.yaml, line 2: 'role' is missing; add a line like: role: Consultant in oral "
            "medicine.",
            "content/test-guide/reviews.yaml, line 2: 'date' is missing; add a line like: date: 2026-11-30.",
            "content/test-guide/reviews.yaml, line 2: 'text' is missing; add a line like: text: sha256:...",
        ],
    ),
    (  # typed by hand: "Reviewed on" a day to come
        "signoffs:\n  - page: index\n    reviewer: Dr A\n    role: Dentist\n    date: 2099-01-01\n"
        f"    text: sha256:{'0' * 64}\n",
        [
            "content/test-guide/reviews.yaml, line 5: a sign-off is dated 2099-01-01, which has not come yet; "
            "delete this entry and sign the page off with make signoff, which dates it today."
        ],
    ),
    (
        "- page: index\n",
        [
            "content/test-guide/reviews.yaml, line 1: the file is not a list of fields; write one 'name: value' a "
            "line, e.g. 'title: How Botox works'."
        ],
    ),
]


@pytest.mark.parametrize("text, expected", MALFORMED)
def test_a_malformed_reviews_file_is_an_editors_problem_with_file_line_and_fix(two_pages, text, expected):
    (two_pages.folder / "reviews.yaml").write_text(text)
    code, out, _ = run("check_content")
    assert code == 1
    assert [line for line in out.splitlines() if "reviews.yaml" in line] == expected
    code, _, err = publish()
    assert code == 1 and expected[0] in err
    code, _, err = sign("test-guide/index")
    assert code == 1 and expected[0] in err


def test_a_leftover_last_reviewed_field_is_refused_by_publish_saying_what_replaced_it(guide):
    guide.page("index", last_reviewed="2026-11-29")
    code, _, err = publish()
    assert code == 1
    assert (
        "content/test-guide/index.md, line 6: 'last_reviewed' is no longer used: the date a clinician reviewed the "
        "page now comes from their sign-off; delete this line; a clinician signs the page off with "
        'make signoff PAGE=test-guide/index BY="Name" ROLE="Role"'
    ) in err


@pytest.mark.django_db
def test_the_report_shows_review_state_reviewer_and_days_with_changed_pages_first(two_pages):
    sign("test-guide/*")
    path = two_pages.folder / "benefits.md"
    two_pages.raw("benefits", path.read_text().replace("Less pain", "Less soreness"))
    code, out, _ = run("content_report")
    rows = out.splitlines()[1:3]
    assert rows[0].split()[:3] == ["test-guide", "A", "page"] and "CHANGED since sign-off" in rows[0]
    assert "due now: changed since sign-off" in rows[0]
    assert "signed off" in rows[1] and "Dr Ann O'Neill (Consultant in oral medicine)" in rows[1]
    a_year = (add_months(timezone.localdate(), 12) - timezone.localdate()).days
    assert f"{add_months(timezone.localdate(), 12).isoformat()} (due in {a_year} days)" in rows[1]
    _, data, _ = run("content_report", format="json")
    pages = json.loads(data[: data.rindex("}") + 1])["pages"]
    assert [page["review_state"] for page in pages] == ["changed", "reviewed"]
    assert pages[1]["days_until_review"] == a_year and pages[0]["days_until_review"] is None


def test_the_real_content_is_not_yet_reviewed_on_every_page_and_handout(client):
    for path in [*GUIDE_PAGES, "/botox-jaw-pain/print/"]:
        text = client.get(path).text
        assert "Not yet reviewed by a doctor or dentist." in text, path
        assert "Reviewed by" not in text and "reviewedBy" not in text, path
    summary = client.get("/botox-jaw-pain/print/summary/").text
    assert "Every page: Not yet reviewed by a doctor or dentist." in summary  # one line: the summary is one sheet
    assert "Reviewed by" not in summary
    handout = client.get("/botox-jaw-pain/print/").text
    assert handout.count("Not yet reviewed by a doctor or dentist.") == len(GUIDE_PAGES)


def test_a_year_after_sign_off_is_counted_from_the_sign_off():
    assert add_months(datetime.date(2026, 11, 30), 12) == datetime.date(2027, 11, 30)
    assert add_months(datetime.date(2028, 2, 29), 12) == datetime.date(2029, 2, 28)
    assert add_months(datetime.date(2026, 1, 31), -12) == datetime.date(2025, 1, 31)


def test_a_changed_picture_takes_the_reviewed_label_off_its_page(guide, client, settings, tmp_path):
    """The sign-off covers what the page shows: a reviewer signed off a chart saying "no better", and after
    the picture was changed to "much better" the page still said "Reviewed by" (a fresh helper's hostile
    review). Published through the load cache, which kept the page as loaded before."""
    import shutil
    from pathlib import Path

    static = tmp_path / "static"
    shutil.copytree(Path(__file__).parents[2] / "static", static)
    settings.STATICFILES_DIRS = [static]
    guide.page("index", next_review_due=None, body="Botox can ease jaw pain.\n")
    guide.page(
        "benefits", order=2, next_review_due=None, body="![A chart of the results](/static/img/study-results.svg)\n"
    )
    assert sign("test-guide/benefits")[0] == 0
    assert "text: page-sha256:" in (guide.folder / "reviews.yaml").read_text()  # bound to what it shows
    assert publish()[0] == 0
    assert SIGNED in client.get("/test-guide/benefits/").text
    chart = static / "img" / "study-results.svg"
    chart.write_text(chart.read_text().replace("no better", "much better"))
    assert publish()[0] == 0
    page = client.get("/test-guide/benefits/").text
    assert SIGNED not in page and "after its last review on" in page


def test_a_changed_emergency_advice_takes_the_reviewed_label_off_pages_with_an_urgent_box(guide, client):
    from tests.conftest import CLINIC

    (guide.root / "site.yaml").write_text(CLINIC)
    guide.page("index", next_review_due=None, body="Botox can ease jaw pain.\n")
    guide.page(
        "benefits", order=2, next_review_due=None, body='!!! urgent "Get help at once"\n    If you cannot breathe.\n'
    )
    assert sign("test-guide/benefits")[0] == 0
    assert publish()[0] == 0
    assert SIGNED in client.get("/test-guide/benefits/").text
    (guide.root / "site.yaml").write_text(CLINIC.replace("call 999 or go to A&E now", "book a routine appointment"))
    assert publish()[0] == 0
    page = client.get("/test-guide/benefits/").text
    assert "book a routine appointment" in page
    assert SIGNED not in page and "after its last review on" in page


def test_a_sign_off_made_before_pictures_were_covered_is_still_honoured_for_its_words(guide, client):
    """Sign-offs made before 2 December 2026 fingerprint the file and its evidence log only ("sha256:"): an
    upgrade must not turn every signed-off page with a picture into "Updated on" (a fresh helper's review)."""
    guide.page("index", next_review_due=None, body="Botox can ease jaw pain.\n")
    guide.page("benefits", order=2, next_review_due=None, body="![A chart](/static/img/study-results.svg)\n")
    guide.signed_off("benefits", "2026-11-01", reviewer="Dr Ann O'Neill", role="Consultant in oral medicine", old=True)
    assert "text: sha256:" in (guide.folder / "reviews.yaml").read_text()
    assert publish()[0] == 0
    assert SIGNED in client.get("/test-guide/benefits/").text


@pytest.mark.parametrize("target", ["test-guide/benefits/", "/test-guide/benefits/"])
def test_a_pages_own_address_signs_off_that_page(two_pages, target):
    code, out, _ = sign(target)
    assert code == 0 and out.count("Signed off") == 1 and "Signed off test-guide/benefits" in out


def test_a_sign_off_for_a_page_the_guide_does_not_have_is_a_warning_and_a_former_name_is_nothing(two_pages):
    """It signs nothing: said (a mistyped name would otherwise go unseen), but it does not stop a publish,
    and a page renamed as the editors' guide says (former_slugs) leaves its old entries unremarked."""
    entry = (
        f"  - page: {{}}\n    reviewer: Dr A\n    role: Dentist\n    date: 2026-01-01\n    text: sha256:{'0' * 64}\n"
    )
    reviews = two_pages.folder / "reviews.yaml"
    reviews.write_text("signoffs:\n" + entry.format("benefit") + entry.format("advantages"))
    two_pages.page("benefits", order=2, next_review_due=None, former_slugs="[advantages]", body="Less pain.\n")
    code, out, _ = run("check_content")
    assert code == 0
    assert [line for line in out.splitlines() if "reviews.yaml" in line] == [
        "Warning: content/test-guide/reviews.yaml, line 2: has a sign-off for 'benefit', which is not a page of "
        "this guide (it signs nothing); delete that entry from reviews.yaml (git keeps it); if the page's name is "
        "mistyped there, sign the page off again with make signoff."
    ]
    assert publish()[0] == 0


def test_a_sign_off_dated_later_is_refused_until_that_day_whatever_was_loaded_before(two_pages, monkeypatch):
    """The refusal was kept with the loaded file: once the day came, the check passed and the publish,
    from its cache, still refused (a fresh helper's review)."""
    import datetime as dates

    today = timezone.localdate()
    entry = f"signoffs:\n  - page: index\n    reviewer: Dr A\n    role: Dentist\n    date: {today + dates.timedelta(days=1)}\n"
    (two_pages.folder / "reviews.yaml").write_text(entry + f"    text: sha256:{'0' * 64}\n")
    code, _, err = publish()
    assert code == 1 and "which has not come yet" in err
    monkeypatch.setattr(timezone, "localdate", lambda: today + dates.timedelta(days=1))
    assert publish()[0] == 0


def test_an_old_fingerprint_dated_since_pictures_were_covered_is_not_honoured(guide, client):
    """Only a sign-off made before 2 December 2026 may be bound to the words alone: one written since with the
    old fingerprint (by hand, or by old code) let a changed picture keep "Reviewed by" (a fresh helper's review)."""
    guide.page("index", next_review_due=None, body="Botox can ease jaw pain.\n")
    guide.page("benefits", order=2, next_review_due=None, body="![A chart](/static/img/study-results.svg)\n")
    guide.signed_off("benefits", "2026-12-02", reviewer="Dr Ann O'Neill", role="Consultant in oral medicine", old=True)
    assert publish()[0] == 0
    assert SIGNED not in client.get("/test-guide/benefits/").text
