"""What a visitor gets: pages, contents, previous/next, review dates, and 404s."""

import re

import pytest
from django.test import Client

from articles.publish.publishing import publish
from tests.site_pages import GUIDE_PAGES

GUIDE = "/botox-jaw-pain/"


def test_home_leads_to_the_guide_in_one_click(client):
    response = client.get("/")
    assert response.status_code == 200
    assert f'href="{GUIDE}"' in response.text
    assert "Botox for jaw pain" in response.text


@pytest.mark.parametrize("path, title", GUIDE_PAGES.items())
def test_every_guide_page_answers_with_its_title(client, path, title):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert (
        f'<h1><span class="page-header__guide">Botox for jaw pain</span><span class="visually-hidden">:</span> <span class="page-header__page">{title}</span></h1>'
        in response.text
    )
    assert "Not yet reviewed by a doctor or dentist." in response.text
    assert "Talk to a professional</h2>" in response.text


@pytest.mark.parametrize("path", ["/botox-jaw-pain/how-long-it-lasts/", "/botox-jaw-pain/side-effects/"])
def test_pages_that_say_get_emergency_help_say_how(client, path):
    """The urgent box ends with the clinic's emergency advice (site.yaml), so "get emergency help" is never bare."""
    text = client.get(path).text
    assert '<div class="callout callout--urgent">' in text
    assert '<p class="callout__emergency"><strong>' in text


def test_contents_list_marks_the_current_page(client):
    text = client.get(GUIDE + "benefits/").text
    contents = text[text.index('<nav class="guide-contents"') :]
    contents = contents[: contents.index("</nav>")]
    # Twice: the list folded for phones and the one beside the page on a wide screen (CSS shows one).
    assert contents.count('<span aria-current="page">Benefits</span>') == 2
    assert contents.count('aria-current="page"') == 2
    for path in GUIDE_PAGES:
        if path != GUIDE + "benefits/":
            assert f'href="{path}"' in text


def test_previous_and_next_links(client):
    text = client.get(GUIDE + "benefits/").text
    assert 'href="/botox-jaw-pain/how-it-works/" rel="prev"' in text
    assert 'href="/botox-jaw-pain/how-long-it-lasts/" rel="next"' in text


def test_first_page_has_no_previous_and_last_no_next(client):
    assert 'rel="prev"' not in client.get(GUIDE).text
    last = client.get(GUIDE + "talk-to-a-professional/").text
    assert 'rel="next"' not in last
    assert "Always talk to a qualified healthcare provider" in last


def test_side_effects_page_has_the_urgent_callout_and_its_source(client):
    text = client.get(GUIDE + "side-effects/").text
    assert '<div class="callout callout--urgent">' in text
    assert "Get emergency help at once" in text
    assert "trouble swallowing, speaking or breathing" in text
    assert 'href="https://dailymed.nlm.nih.gov/dailymed/archives/fdaDrugInfo.cfm?archiveid=15772"' in text


def test_page_without_trailing_slash_redirects(client):
    response = client.get("/botox-jaw-pain/benefits")
    assert response.status_code == 301
    assert response["Location"] == "/botox-jaw-pain/benefits/"


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-guide/",
        "/botox-jaw-pain/no-such-page/",
        "/botox-jaw-pain/../../etc/passwd",
        "/botox-jaw-pain/%2e%2e/%2e%2e/etc/passwd",
        "/botox-jaw-pain/..%2f..%2fetc%2fpasswd/",
        "/Botox-Jaw-Pain/",
        "/botox-jaw-pain/BENEFITS/",
        "/botox-jaw-pain/" + "a" * 300 + "/",
        "/botox-jaw-pain/bénéfices/",
        "/botox-jaw-pain/guide.yaml",
        "/botox-jaw-pain/index/",
    ],
)
def test_unknown_and_hostile_paths_get_the_site_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text


def test_post_is_not_allowed(client):
    assert client.post(GUIDE).status_code == 405


def test_temporary_guide_is_served(client, guide):
    guide.page("index", title="Start", body="Hello **there**.\n")
    guide.page("next-step", title="Next step", order=2)
    response = client.get("/test-guide/")
    assert response.status_code == 200
    assert "<strong>there</strong>" in response.text
    assert 'href="/test-guide/next-step/" rel="next"' in response.text


def test_a_broken_page_is_not_published_and_the_site_keeps_its_release(client, guide):
    guide.page("index")
    before = client.get("/test-guide/")
    guide.raw("broken", "---\ntitle: [oops\n---\n")
    assert client.get("/test-guide/broken/").status_code == 404
    assert client.get("/test-guide/").content == before.content
    assert [problem.path.name for problem in client.refused] == ["broken.md"]


def test_a_bad_guide_file_keeps_the_guide_served(client, guide):
    guide.page("index")
    before = client.get("/test-guide/").content
    (guide.folder / "guide.yaml").write_text("title: [oops\n")
    assert client.get("/test-guide/").content == before
    assert client.refused and client.refused[0].path.name == "guide.yaml"


def test_privacy_page(client):
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert "no cookies" in response.text


def test_a_draft_is_absent_in_production(client, guide):
    guide.page("index")
    guide.page("secret", title="Secret draft", order=2, draft="true")
    assert client.get("/test-guide/secret/").status_code == 404
    assert "Secret draft" not in client.get("/test-guide/").text
    assert "Secret draft" not in client.get("/test-guide/print/").text
    assert "/test-guide/secret/" not in client.get("/sitemap.xml").text


def test_a_draft_shows_in_the_preview_marked_as_draft(preview, guide):
    guide.page("index")
    guide.page("secret", title="Secret draft", order=2, draft="true")
    response = preview.get("/test-guide/secret/")
    assert response.status_code == 200
    assert "<strong>Draft:</strong> only visible in the editors' preview." in response.text


def test_the_preview_shows_content_problems_on_the_page(preview, guide):
    guide.page("index")
    guide.page("benefits", order=2, next_review_due="2026-13-01")
    text = preview.get("/test-guide/").text
    assert "Preview: the content has 1 problem." in text
    assert "content/test-guide/benefits.md, line 5: &#x27;next_review_due&#x27; is not a date" in text


def test_production_never_shows_content_problems(client, guide):
    """A broken edit is refused: visitors keep the last release, and never see the editors' messages."""
    guide.page("index")
    guide.page("benefits", order=2)
    assert client.get("/test-guide/benefits/").status_code == 200
    guide.page("benefits", order=2, next_review_due="2026-13-01")
    for path, status in (("/test-guide/", 200), ("/test-guide/benefits/", 200), ("/test-guide/nothing-here/", 404)):
        response = client.get(path)
        assert response.status_code == status, path
        assert "<h1>" in response.text, path
        assert "Preview" not in response.text and "2026-13-01" not in response.text, path
    assert [problem.field for problem in client.refused] == ["next_review_due"]


def test_server_error_page_is_site_styled_and_needs_nothing_from_the_request(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "<h1>Sorry, there is a problem with the site</h1>" in text
    assert 'href="/static/css/site.css"' in text
    assert '<a class="skip-link" href="#main-content">' in text


def test_an_error_of_the_application_shows_the_releases_error_page_with_its_styles(guide, settings, tmp_path):
    """As in production: hashed static names, whose map stays out of the release, so the error page can
    only name the stylesheet if it was made at publishing (Django's own rendering of 500.html raised)."""
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = False
    settings.ROOT_URLCONF = "tests.serve.failing_urls"
    client = Client(raise_request_exception=False)
    before = client.get("/feedback/fail/")  # nothing published yet: the same words, without styles
    assert before.status_code == 500
    assert "<h1>Sorry, there is a problem with the site</h1>" in before.text and "/static/" not in before.text
    guide.page("index")
    publish()
    response = client.get("/feedback/fail/")
    assert response.status_code == 500
    assert "<h1>Sorry, there is a problem with the site</h1>" in response.text
    assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', response.text), response.text[:500]
    assert "no-store" in response["Cache-Control"] and "Set-Cookie" not in response
    from articles.publish.publishing import current_release, releases_dir
    from feedback import answers

    (releases_dir() / current_release()).rename(releases_dir() / "moved-away")  # the fault 87cf426 serves a 503 for
    answers._answers.cache_clear()  # as a worker started since would find it
    gone = client.get("/feedback/fail/")
    assert gone.status_code == 500 and "<h1>Sorry, there is a problem with the site</h1>" in gone.text
    (releases_dir() / "moved-away").rename(releases_dir() / current_release())
    back = client.get("/feedback/fail/")  # the plain answers were not kept: the release's page again
    assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', back.text)


def test_a_guide_with_no_good_page_has_no_handout(preview, guide):
    guide.raw("index", "not a page")
    assert preview.get("/test-guide/print/").status_code == 404


def test_the_preview_says_why_a_page_is_missing(preview, guide):
    guide.page("index")
    guide.page("benefits", order=2, next_review_due="2026-13-01")
    response = preview.get("/test-guide/benefits/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()
    assert "&#x27;next_review_due&#x27; is not a date" in response.content.decode()


def test_the_preview_of_a_guide_without_its_front_page_says_so(preview, guide):
    guide.page("benefits", order=2)
    response = preview.get("/test-guide/")
    assert response.status_code == 404
    assert "index.md: is missing: it is the guide&#x27;s front page" in response.content.decode()


def test_an_unknown_address_in_the_preview_is_the_sites_404_not_a_debug_page(preview, guide):
    guide.page("index")
    response = preview.get("/test-guide/a/b/c/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text
    assert "No page has the address /test-guide/a/b/c/." in response.text


@pytest.mark.parametrize("path", GUIDE_PAGES)
def test_no_list_of_sources_is_longer_than_seven_and_each_group_has_a_heading(client, path):
    """A list of more than 7 is hard to read (CDC Clear Communication Index, item 8): sources are grouped by kind."""
    import re

    text = client.get(path).text
    sources = text[text.index('<section class="sources"') :]
    sources = sources[: sources.index("</section>")]
    lists = re.findall(r"<ul>(.*?)</ul>", sources, re.S)
    assert lists and all(1 <= found.count("<li>") <= 7 for found in lists)
    headings = re.findall(r"<h3>([^<]+)</h3>", sources)
    assert len(headings) == len(lists) or (len(lists) == 1 and not headings)


def test_the_overview_shows_its_sources_under_plain_headings(client):
    text = client.get(GUIDE).text
    sources = text[text.index('<section class="sources"') :]
    assert sources.index("<h3>Health services and government agencies</h3>") < sources.index(
        "<h3>Research reviews</h3>"
    )


@pytest.fixture
def production_storage(guide, settings, tmp_path):
    """Hashed static names as production has them, whose map stays out of the release; one page published."""
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = False
    guide.page("index")
    publish()


@pytest.mark.parametrize(
    "address",
    [
        "/static/admin/",
        "/static/admin/qr.svg",
        "/static/admin/x.css",
        "/feedback/%0d%0a",
        "/admin/%0a",
        "/static/admin/%0a",
    ],
)
def test_an_application_address_that_is_not_there_gets_the_releases_404_page(production_storage, address, monkeypatch):
    """Django's own 404 rendered templates/404.html, whose {% static %} fails in production (a 500), and an
    address with a line break fell through to the preview's view, which reads content/ (helper-56)."""
    from articles import views as articles_views

    monkeypatch.setattr(articles_views, "_load", lambda: pytest.fail("a request read content/"))
    response = Client(raise_request_exception=False).get(address)
    assert response.status_code == 404
    assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', response.text), response.text[:300]
    assert "no-store" in response["Cache-Control"]


def test_a_staff_address_that_is_not_there_gets_the_releases_404_page(production_storage, admin_client):
    for address in ("/admin/no-such-page/", "/admin/feedback/no-such-model/", "/admin/r/1/1/"):
        response = admin_client.get(address, follow=True)
        assert response.status_code == 404, address
        assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', response.content.decode()), address


@pytest.mark.parametrize(("address", "allow"), [("/feedback/thanks/test-guide/", "GET, HEAD"), ("/feedback/", "POST")])
def test_a_method_an_application_address_does_not_take_gets_405_naming_those_it_does(
    production_storage, address, allow
):
    for method in ("put", "delete", "options") + (("post",) if allow != "POST" else ("get",)):
        response = getattr(Client(enforce_csrf_checks=True), method)(address)
        assert (response.status_code, response["Allow"]) == (405, allow), (method, address)
    response = Client(enforce_csrf_checks=True).post("/static/admin/css/base.css")
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")
    for address in ("/feedback/nothing-here", "/feedback/%0a", "/admin/%0a"):  # Django's unstyled CSRF 403 had answered
        response = Client(enforce_csrf_checks=True).post(address)
        assert response.status_code == 404 and "/static/css/site." in response.content.decode(), address
