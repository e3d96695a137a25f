"""Every link on every public page goes somewhere: no empty address, no link to itself, no dead end."""

from urllib.parse import urljoin, urlsplit

import pytest

from tests.html_checks import Elements
from tests.site_pages import GUIDE_PAGES, HTML_PAGES


def links(response):
    return [attrs for tag, attrs in Elements(response.text).found if tag == "a"]


def link_problems(client, path):
    """What is wrong with the links on `path`, as a list of messages naming the link."""
    problems = []
    for attrs in links(client.get(path)):
        href = attrs.get("href")
        if href is None or not href.strip():
            problems.append(f"{path}: a link with an empty or missing address ({attrs})")
            continue
        target = urlsplit(urljoin("http://site" + path, href))
        if target.scheme != "http" or target.netloc != "site":
            continue  # another site, mailto:, sms:
        if target.path == path and not target.fragment:
            problems.append(f"{path}: a link to the page itself ({href!r})")
        elif target.path != path:
            status = client.get(target.path).status_code
            if status != 200:
                problems.append(f"{path}: {href!r} answers {status}")
    return problems


@pytest.mark.parametrize("path", [page for page in HTML_PAGES if page != "/no-such-page/"] + ["/no-such-page/"])
def test_every_link_goes_somewhere(client, path):
    assert link_problems(client, path) == []


@pytest.mark.parametrize("path", list(GUIDE_PAGES)[:-1])
def test_the_call_to_action_leads_to_talk_to_a_professional(client, path):
    closing = list(GUIDE_PAGES)[-1]
    text = client.get(path).text
    consult = text[text.index('<div class="consult">') :]
    assert f'<a class="button" href="{closing}">Talk to a professional: what to expect</a>' in consult


def test_the_link_check_catches_an_empty_and_a_self_link(preview, guide):
    guide.page("index", body="[here]()\n\n[this page](index.md)\n\n[gone](/test-guide/nowhere/)\n")
    problems = link_problems(preview, "/test-guide/")
    assert any("/test-guide/nowhere/' answers 404" in problem for problem in problems)
    assert any("link to the page itself ('/test-guide/')" in problem for problem in problems)
