"""Pages as cheap as static files: cached once per content version, compressed once, revalidated."""

import gzip
import os

import brotli
import pytest

from articles.content import get_library

PAGE = "/botox-jaw-pain/benefits/"


def test_pages_carry_a_strong_etag_last_modified_and_cache_control(client, settings):
    response = client.get(PAGE)
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert response["Last-Modified"].endswith(" GMT")
    assert response["Cache-Control"] == f"public, max-age={settings.PAGE_CACHE_SECONDS}"
    assert response["Vary"] == "Accept-Encoding"


def test_if_none_match_answers_304_with_no_body(client):
    etag = client.get(PAGE)["ETag"]
    response = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_answers_304(client):
    last_modified = client.get(PAGE)["Last-Modified"]
    assert client.get(PAGE, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_a_stale_etag_gets_the_full_page(client):
    response = client.get(PAGE, HTTP_IF_NONE_MATCH='"something-else"')
    assert response.status_code == 200
    assert b"<h1>Benefits</h1>" in response.content


def test_head_sends_headers_but_no_body(client):
    full = client.get(PAGE)
    head = client.head(PAGE)
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(full.content))
    assert head["ETag"] == full["ETag"]


@pytest.mark.parametrize(
    "accept, encoding, decompress",
    [
        ("gzip, deflate, br", "br", brotli.decompress),
        ("gzip, deflate", "gzip", gzip.decompress),
        ("br;q=0, gzip", "gzip", gzip.decompress),
    ],
)
def test_pages_are_compressed_for_clients_that_accept_it(client, accept, encoding, decompress):
    plain = client.get(PAGE).content
    response = client.get(PAGE, HTTP_ACCEPT_ENCODING=accept)
    assert response["Content-Encoding"] == encoding
    assert decompress(response.content) == plain
    assert response["Content-Length"] == str(len(response.content))
    assert response["ETag"] != client.get(PAGE)["ETag"]  # other bytes, other strong ETag


def test_no_compression_when_not_accepted(client):
    response = client.get(PAGE, HTTP_ACCEPT_ENCODING="identity")
    assert not response.has_header("Content-Encoding")


def test_a_page_is_rendered_and_compressed_once_per_content_version(client):
    client.get(PAGE, HTTP_ACCEPT_ENCODING="br")
    entry = get_library().responses[PAGE]
    compressed = entry.variants["br"]
    client.get(PAGE, HTTP_ACCEPT_ENCODING="br")
    assert entry.variants["br"] is compressed
    assert get_library().responses[PAGE] is entry


def test_an_edit_makes_a_new_version(client, guide):
    import os

    path = guide.page("index", title="Before")
    first = client.get("/test-guide/")
    guide.page("index", title="After")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    second = client.get("/test-guide/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert b"<h1>After</h1>" in second.content


def test_a_cached_page_is_served_before_routing(client, monkeypatch):
    import articles.views

    client.get(PAGE)
    monkeypatch.setattr(articles.views, "_render_page", lambda *args: (_ for _ in ()).throw(AssertionError("rendered")))
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_the_cached_path_still_checks_the_host(client):
    client.get(PAGE)
    assert client.get(PAGE, HTTP_HOST="evil.example").status_code == 400


def test_last_modified_covers_templates_and_code_as_well_as_content(client, guide):
    from email.utils import parsedate_to_datetime

    from articles.responses import code_last_modified

    path = guide.page("index")
    old = 1_000_000_000  # 2001: older than any template
    os.utime(path, (old, old))
    os.utime(guide.folder / "guide.yaml", (old, old))
    stamp = parsedate_to_datetime(client.get("/test-guide/")["Last-Modified"]).timestamp()
    assert stamp == int(code_last_modified())


def test_if_match_with_another_etag_is_412(client):
    assert client.get(PAGE, HTTP_IF_MATCH='"not-this-one"').status_code == 412
