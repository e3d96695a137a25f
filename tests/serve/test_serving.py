"""Serving the release: files as cheap as static files, revalidated, compressed, and nothing made per request."""

import datetime
import gzip
import logging
from email.utils import format_datetime, parsedate_to_datetime

import brotli
import pytest
from django.test import Client

from articles.publish.publishing import publish, releases_dir, switch_to

PAGE = "/botox-jaw-pain/benefits/"


def test_pages_carry_an_etag_last_modified_and_cache_control(client, settings):
    response = client.get(PAGE)
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert response["Last-Modified"].endswith(" GMT")
    assert response["Cache-Control"] == f"max-age={settings.PAGE_CACHE_SECONDS}, public"
    assert response["Vary"] == "Accept-Encoding"
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_if_none_match_answers_304_with_no_body(client):
    etag = client.get(PAGE)["ETag"]
    response = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_if_modified_since_answers_304_for_the_files_own_date_only(client):
    """As nginx's `if_modified_since exact`: a rollback puts back files older than a visitor's copy, and a
    304 for any later date kept that copy (helper-56)."""
    last_modified = client.get(PAGE)["Last-Modified"]
    assert client.get(PAGE, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    later = format_datetime(parsedate_to_datetime(last_modified) + datetime.timedelta(seconds=1), usegmt=True)
    response = client.get(PAGE, HTTP_IF_MODIFIED_SINCE=later)
    assert response.status_code == 200 and b'page-header__page">Benefits</span></h1>' in response.content
    assert client.get(PAGE, HTTP_IF_MODIFIED_SINCE="not a date").status_code == 200
    # HTTP's two older forms of the same date too, as nginx's `exact` takes them (helper-57).
    moment = parsedate_to_datetime(last_modified)
    for older_form in (moment.strftime("%a %b %e %H:%M:%S %Y"), moment.strftime("%A, %d-%b-%y %H:%M:%S GMT")):
        assert client.get(PAGE, HTTP_IF_MODIFIED_SINCE=older_form).status_code == 304, older_form


@pytest.mark.parametrize(
    "since", ["Wed, 02 Dec 99999999999999999999 06:46:16 GMT", "Wed, 02 Dec 2027 06:46:16 +99999999999999999999"]
)
def test_an_if_modified_since_past_any_calendar_gets_the_page_not_a_500(client, since):
    """WhiteNoise answered 304 to it, and comparing it with the file's date raised OverflowError (helper-57)."""
    response = client.get(PAGE, HTTP_IF_MODIFIED_SINCE=since)
    assert response.status_code == 200 and b'page-header__page">Benefits</span></h1>' in response.content


def test_a_stale_etag_gets_the_full_page(client):
    response = client.get(PAGE, HTTP_IF_NONE_MATCH='"something-else"')
    assert response.status_code == 200
    assert b'page-header__page">Benefits</span></h1>' in response.content


def test_head_sends_headers_but_no_body(client):
    full = client.get(PAGE)
    head = client.head(PAGE)
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(full.content))


@pytest.mark.parametrize(
    "accept, encoding, decompress",
    [("gzip, deflate, br", "br", brotli.decompress), ("gzip, deflate", "gzip", gzip.decompress)],
)
def test_pages_are_sent_compressed_to_clients_that_accept_it(client, accept, encoding, decompress):
    plain = client.get(PAGE).content
    response = client.get(PAGE, HTTP_ACCEPT_ENCODING=accept)
    assert response["Content-Encoding"] == encoding
    assert decompress(response.content) == plain


def test_no_compression_when_not_accepted(client):
    assert not client.get(PAGE, HTTP_ACCEPT_ENCODING="identity").has_header("Content-Encoding")


def test_unknown_addresses_get_the_sites_404_page(client):
    response = client.get("/botox-jaw-pain/no-such-page/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_a_renamed_page_redirects_permanently_from_the_release_map(client, guide):
    guide.page("index")
    guide.page("results", order=2, former_slugs="[duration]")
    response = client.get("/test-guide/duration/")
    assert response.status_code == 301
    assert response["Location"] == "/test-guide/results/"


def test_a_new_release_is_served_on_the_next_request_without_a_restart(client, guide):
    path = guide.page("index", title="Before")
    assert 'page-header__page">Before</span></h1>' in client.get("/test-guide/").text
    path.write_text(path.read_text().replace("Before", "After"))
    publish()
    plain = Client()  # no automatic publishing: only what the release says
    assert b'page-header__page">After</span></h1>' in b"".join(plain.get("/test-guide/").streaming_content)


def test_one_worker_follows_current_with_no_restart_and_no_signal(guide):
    """One test client keeps one ReleaseMiddleware, as a gunicorn worker does: each publish and
    rollback is served on its next request, though nothing restarted or signalled it."""
    from articles.publish.publishing import rollback

    worker = Client()

    def title():
        body = b"".join(worker.get("/test-guide/").streaming_content).decode()
        return body.split('page-header__page">')[1].split("<")[0]

    path = guide.page("index", title="First")
    publish()
    assert title() == "First"
    path.write_text(path.read_text().replace("First", "Second"))
    publish()
    assert title() == "Second"
    rollback()
    assert title() == "First"


def test_before_the_first_publish_visitors_get_a_503_that_says_so(settings, tmp_path):
    settings.RELEASES_DIR = tmp_path / "nothing-here"
    response = Client().get("/")
    assert response.status_code == 503
    assert b"This site is not published yet" in response.content


def test_editing_content_without_publishing_changes_nothing(guide, settings):
    path = guide.page("index", title="Published")
    publish()
    path.write_text(path.read_text().replace("Published", "Unpublished edit"))
    body = b"".join(Client().get("/test-guide/").streaming_content)
    assert b'page-header__page">Published</span></h1>' in body


# Closing a response tells Django the request finished, which checks the database connection.
@pytest.mark.django_db
def test_distinct_requests_add_nothing_to_a_workers_memory(client):
    """No cache keyed by anything a request carries: once a first round has filled any bounded cache,
    two thousand more distinct requests (pages and 404s, each with its own query, host and prefix)
    leave the worker holding no more memory than before: under 1 byte a request (a list that grows
    by one pointer a request keeps 8; it holds 0 bytes as it is)."""
    import gc
    import tracemalloc

    from django.test import RequestFactory

    from articles.serve.serving import ReleaseMiddleware

    middleware = ReleaseMiddleware(lambda request: None)
    factory = RequestFactory()

    def distinct_requests(numbers):
        return [
            factory.get(path, HTTP_X_FORWARDED_HOST=f"h{number}.example", SCRIPT_NAME=f"/p{number}")
            for number in numbers
            for path in (f"{PAGE}?n={number}", f"/no-such-page-{number}/")
        ]

    for request in distinct_requests(range(1000)):
        middleware(request).close()
    requests = distinct_requests(range(1000, 2000))
    gc.collect()
    tracemalloc.start()
    try:
        for request in requests:
            middleware(request).close()
        del requests, request
        gc.collect()
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept < 2_000, f"{kept} bytes kept after 2,000 distinct requests"


def test_static_files_under_their_plain_names_are_revalidated(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=300, public"  # unhashed name: may change


def test_an_address_without_its_slash_redirects_permanently_and_may_be_cached(client, settings):
    for address in ("/botox-jaw-pain/benefits", "/botox-jaw-pain/benefits/index.html"):
        response = client.get(address)
        assert response.status_code == 301, address
        assert response["Location"].endswith("/botox-jaw-pain/benefits/"), address
        assert response["Cache-Control"] == f"max-age={settings.PAGE_CACHE_SECONDS}, public", address


def test_a_qr_code_downloads_under_a_name_that_says_what_it_opens(client):
    guide_code = client.get("/botox-jaw-pain/qr.svg")
    assert guide_code["Content-Disposition"] == 'inline; filename="qr-botox-jaw-pain.svg"'
    page_code = client.get("/botox-jaw-pain/benefits/qr.png")
    assert page_code["Content-Disposition"] == 'inline; filename="qr-botox-jaw-pain-benefits.png"'
    assert page_code["Content-Type"] == "image/png"  # a picture has no charset
    assert "Content-Disposition" not in client.get(PAGE)


def test_no_other_site_may_read_the_files(client):
    response = client.get("/static/css/site.css", HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def release_folder(name, manifest=True, asset="css/old.0123456789ab.css"):
    """A folder in the releases folder holding one hashed static file, with or without a manifest."""
    folder = releases_dir() / name
    (folder / "public/static" / asset).parent.mkdir(parents=True)
    (folder / "public/static" / asset).write_text(f"/* {name} */")
    if manifest:
        (folder / "manifest.json").write_text("{}")
    return f"/static/{asset}"


def test_only_the_hashed_files_of_other_whole_releases_are_served_beside_the_current_one(guide):
    guide.page("index")
    publish()
    kept = release_folder("20200101T000000.000000-0ld0ld00")
    building = release_folder(".build-0123", asset="css/building.0123456789ab.css")
    broken = release_folder("20200102T000000.000000-n0man1f", manifest=False, asset="css/broken.0123456789ab.css")
    client = Client()
    assert client.get(kept).status_code == 200
    assert client.get(building).status_code == 404
    assert client.get(broken).status_code == 404
    assert client.get("/static/css/site.css").status_code == 200


def test_a_current_that_names_no_release_serves_503_and_logs_why_once(guide, caplog):
    guide.page("index")
    publish()
    switch_to("20200101T000000.000000-g0ne0000")
    client = Client()
    with caplog.at_level(logging.ERROR):
        assert client.get("/test-guide/").status_code == 503
        assert client.get("/test-guide/").status_code == 503
    [logged] = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert logged.startswith(
        f"Serving the 'not published' page (503): {releases_dir()}/20200101T000000.000000-g0ne0000 cannot be served: "
        f"no folder {releases_dir()}/20200101T000000.000000-g0ne0000/public"
    ), logged


def test_a_process_lets_the_index_of_a_release_it_no_longer_serves_go(guide):
    """The index of a 10,000-page release holds about 90 MB: once every handler has moved on to the
    next release, the process keeps nothing of the one before."""
    import gc

    from articles.serve.serving import Release

    guide.page("index", title="First")
    first = publish().release
    client = Client()
    assert client.get("/test-guide/").status_code == 200
    guide.page("index", title="Second")
    publish()
    assert b"Second" in b"".join(client.get("/test-guide/").streaming_content)
    assert Client().get("/test-guide/").status_code == 200  # a second handler, as a second worker
    gc.collect()
    # type(), not isinstance(): isinstance asks each of Django's lazy objects for its class, which builds it.
    kept = [thing for thing in gc.get_objects() if type(thing) is Release and thing.target == first]
    assert kept == []


@pytest.mark.parametrize(
    ("accepted", "sent"),
    [("br;q=0, gzip", "gzip"), ("gzip;q=0", None), ("br;q=0.0, gzip;q=0", None), ("GZIP", "gzip"), ("br", "br")],
)
def test_a_coding_the_visitor_refuses_with_q_0_is_not_sent(client, accepted, sent):
    """WhiteNoise sent br or gzip wherever the name appeared in Accept-Encoding, q=0 too (helper-56)."""
    response = client.get(PAGE, HTTP_ACCEPT_ENCODING=accepted)
    assert response.status_code == 200 and response.get("Content-Encoding") == sent


@pytest.mark.parametrize("asked", ["bytes=0-0", "bytes=0-99", "bytes=-1", "bytes=99999999-"])
def test_a_range_gets_the_whole_page(client, asked):
    """WhiteNoise answered one-byte ranges 416 and ignored If-Range (a resumed download could join two
    releases' pages): the pages are a few KB, so every range gets the whole file (helper-56)."""
    whole = client.get(PAGE)
    response = client.get(PAGE, HTTP_RANGE=asked)
    assert response.status_code == 200 and response.content == whole.content and "Content-Range" not in response
