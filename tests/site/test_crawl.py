"""A crawl of the live site from / finds no broken internal link or anchor."""

from tests.crawl import client_fetcher, crawl


def test_crawl_of_the_whole_site(client):
    seen, problems = crawl(client_fetcher(client))
    assert not problems
    for path in ("/privacy/", "/botox-jaw-pain/print/", "/botox-jaw-pain/side-effects/qr.png"):
        assert path in seen
