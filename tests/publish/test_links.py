"""Links clinic staff sent once keep working: published URLs, renamed pages, sitemap, robots."""

import xml.etree.ElementTree as ET

import pytest

from tests.site_pages import PUBLIC_PATHS, PUBLISHED


@pytest.mark.parametrize("url", PUBLISHED)
def test_every_published_url_still_answers(client, url):
    response = client.get(url)
    if response.status_code == 301:
        response = client.get(response["Location"])
    assert response.status_code == 200, url


def test_every_public_address_is_in_the_published_list():
    for path in PUBLIC_PATHS:
        assert path in PUBLISHED, f"add {path} to content/published-urls.txt"


def test_a_renamed_page_answers_its_old_address_with_a_301(client, guide):
    guide.page("index")
    guide.page("results", order=2, former_slugs="[how-long-it-lasts, duration]")
    for old in ("how-long-it-lasts", "duration"):
        for address in (f"/test-guide/{old}/", f"/test-guide/{old}"):  # without its slash too, as a page's
            response = client.get(address)
            assert (response.status_code, response["Location"]) == (301, "/test-guide/results/"), address
        for kind in ("svg", "png"):  # its QR codes too: a clinic's letter may hold one
            response = client.get(f"/test-guide/{old}/qr.{kind}")
            assert (response.status_code, response["Location"]) == (301, f"/test-guide/results/qr.{kind}")
    assert client.get("/test-guide/results/").status_code == 200


def check_messages():
    """What bin/check says (articles/report.py), then what the publish would refuse, of the published list."""
    from articles.checks.site import content_problems
    from articles.render.library import load_library
    from articles.report import build_report

    checked = [str(problem) for report in build_report(None) for problem in report.problems]
    published = [str(problem) for problem in content_problems(load_library(drafts=False))]
    return tuple(
        [found for found in each if found.startswith("content/published-urls.txt")] for each in (checked, published)
    )


def test_a_published_address_the_content_no_longer_answers_is_refused(guide):
    """Deleting a page (or renaming it without former_slugs) passed the check and the publish, and its
    address, on handouts and in QR codes, answered 404."""
    guide.page("index")
    guide.page("results", order=2)
    listed = guide.root / "published-urls.txt"
    listed.write_text(
        "# Every address ever published\n/test-guide/\n/test-guide/duration/\n/test-guide/duration/qr.png\n"
        "/test-guide/other/qr.svg\n"
    )
    expected = [
        f"content/published-urls.txt, line {number}: lists {path}, which this content no longer publishes (a patient "
        "may have it on a handout, in a QR code or in a message); restore the page; or, if another page replaces it, "
        "add its old name to that page's 'former_slugs' so that the old address leads there."
        for number, path in ((3, "/test-guide/duration/"), (5, "/test-guide/other/qr.svg"))
    ]  # a page's QR codes go with it: the line of /test-guide/duration/qr.png is not said again
    for found in check_messages():
        assert found == expected
    guide.page("results", order=2, former_slugs="[duration, other]")
    assert check_messages() == ([], [])
    guide.page("results", order=2, former_slugs="[duration, other]", draft="true")  # a draft answers nothing
    guide.page("duration", order=3, former_slugs="[other]")  # the address itself, written anew, answers it too
    assert check_messages() == ([], [])


def test_sections_have_stable_ids_and_a_link_out_of_the_tab_order(client):
    text = client.get("/botox-jaw-pain/how-long-it-lasts/").text
    assert '<h2 id="three-to-six-months">How long it lasts</h2>' in text
    assert (
        '<a class="section-link" href="#three-to-six-months" tabindex="-1"><span class="visually-hidden">'
        "Link to the section: How long it lasts</span>" in text
    )


def test_sitemap_lists_every_public_page_with_the_day_its_text_was_published(client, guide):
    from django.utils import timezone

    guide.page("index")
    guide.page("next-step", order=2)
    guide.page("secret", order=3, draft="true")
    response = client.get("/sitemap.xml", HTTP_HOST="localhost")
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        url.find("s:loc", namespace).text: getattr(url.find("s:lastmod", namespace), "text", None)
        for url in ET.fromstring(response.content).findall("s:url", namespace)
    }
    assert entries == {
        "https://guide.example.org/test-guide/": timezone.localdate().isoformat(),
        "https://guide.example.org/test-guide/next-step/": timezone.localdate().isoformat(),
        "https://guide.example.org/": None,
        "https://guide.example.org/privacy/": None,
        "https://guide.example.org/about/": None,
        "https://guide.example.org/accessibility/": None,
    }


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: https://guide.example.org/sitemap.xml" in response.text


def test_navigation_links_escape_each_label_as_it_comes_whether_or_not_it_was_said_before():
    """The site's links are remembered between pages: a title with markup characters must still be
    escaped on every page, and the same words already made safe must not be escaped."""
    from django.template import Context, Template
    from django.utils.safestring import mark_safe

    template = Template('{% load site %}{% nav_link url label %}|{% nav_link url label "site-name" %}')
    plain, safe = "Pain & <b>jaw</b>", mark_safe("Pain & <b>jaw</b>")
    escaped = "Pain &amp; &lt;b&gt;jaw&lt;/b&gt;"
    for label, shown in ((plain, escaped), (safe, plain), (plain, escaped)):
        context = Context({"url": "/g/p/", "label": label, "current_url": "/g/"})
        assert template.render(context) == f'<a href="/g/p/">{shown}</a>|<a class="site-name" href="/g/p/">{shown}</a>'
    here = Context({"url": "/g/p/", "label": plain, "current_url": "/g/p/"})
    assert Template("{% load site %}{% nav_link url label %}").render(here) == (
        f'<span aria-current="page">{escaped}</span>'
    )


def test_the_address_tag_gives_what_djangos_url_tag_gives():
    from django.template import Context, Template

    context = Context({"slug": "botox-jaw-pain"})
    ours = "{% load site %}{% address 'articles:home' %} {% address 'articles:handout' slug as x %}{{ x }} {% address 'articles:page' slug 'a-b' %}"
    djangos = (
        "{% url 'articles:home' %} {% url 'articles:handout' slug as x %}{{ x }} {% url 'articles:page' slug 'a-b' %}"
    )
    assert (
        Template(ours).render(context)
        == Template(djangos).render(context)
        == ("/ /botox-jaw-pain/print/ /botox-jaw-pain/a-b/")
    )


def test_a_link_to_a_draft_is_named_alike_by_the_check_and_the_publish(guide):
    """The check (drafts shown) passed it; the publish refused it as 'no page how-it-works.md; did you mean
    ...' another page, though the file was there (a fresh helper's hostile review)."""
    from articles.checks.site import content_problems
    from articles.render.library import load_library
    from articles.report import build_report

    guide.page("index", body="See [how it works](how-it-works.md) and [the results](/test-guide/how-it-works/).\n")
    guide.page("how-it-works", order=2, draft="true")
    expected = [
        f"content/test-guide/index.md, line 7: links to '{href}', which is a draft: it is not published, so on "
        "the live site the link would lead nowhere; publish that page (remove 'draft: true' from it), or take the "
        "link out until you do."
        for href in ("how-it-works.md", "/test-guide/how-it-works/")
    ]
    checked = [str(problem) for report in build_report(None) for problem in report.problems if "draft" in str(problem)]
    assert checked == expected
    published = [str(problem) for problem in content_problems(load_library(drafts=False))]
    assert published == expected


def test_the_published_list_is_read_as_a_browser_follows_it_and_after_the_files_load(guide, settings):
    """From a fresh helper's review: a section link and /x without its slash are answered (by the page, by a
    redirect); a page that did not load is named once, not again as every address it answered; drafts answer
    nothing in the check as in the publish; and the list may be far larger than a page."""
    guide.page("index")
    guide.page("results", order=2)
    listed = guide.root / "published-urls.txt"
    listed.write_text("/test-guide/results/#less-pain\n/test-guide/results\n/test-guide/print/summary\n")
    assert check_messages() == ([], [])
    guide.page("results", order="three")  # a typo: the page does not load
    assert check_messages() == ([], [])
    (guide.folder / "results.md").unlink()
    guide.page("new-results", order=3, former_slugs="[results]", draft="true")  # its redirect is a draft's
    checked, published = check_messages()
    assert checked == published
    assert [found.partition(", which")[0] for found in checked] == [
        "content/published-urls.txt, line 1: lists /test-guide/results/",
        "content/published-urls.txt, line 2: lists /test-guide/results",
    ]
    listed.write_text("# a library of thousands of pages\n" * 20_000 + "/test-guide/\n")  # 660 KB
    assert check_messages() == ([], [])


def test_a_published_list_over_its_limit_says_so_in_its_own_words(guide, monkeypatch):
    from articles.checks import site

    guide.page("index")
    monkeypatch.setattr(site, "PUBLISHED_LIST_BYTES", 1024)  # 16 MB in use: the same rule, smaller
    (guide.root / "published-urls.txt").write_text("/test-guide/\n" * 100)
    assert check_messages()[1] == [
        "content/published-urls.txt: is larger than 1 KB; keep one address a line, and nothing else."
    ]
