"""/healthz: the live release's id for a load balancer, never cached, 503 before the first publish."""

import json

from django.test import Client

from articles.publish.releases import current_release


def test_health_names_the_live_release_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {"status": "ok", "release": current_release()}
    assert current_release()
    assert not response.cookies and "Set-Cookie" not in response


def test_health_is_503_before_the_first_publish(settings, tmp_path):
    settings.RELEASES_DIR = tmp_path / "releases"  # nothing published there (a plain client publishes nothing)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {"status": "unpublished", "release": None}


def test_health_is_503_while_current_names_a_release_that_is_gone(settings, tmp_path):
    settings.RELEASES_DIR = tmp_path / "releases"
    settings.RELEASES_DIR.mkdir()
    (settings.RELEASES_DIR / "current").symlink_to("20260101-gone")
    response = Client().get("/healthz")
    assert (response.status_code, json.loads(response.content)["release"]) == (503, None)


def test_health_follows_a_new_release(client, guide):
    from articles.publish.publishing import publish

    guide.page("index")
    first = publish().release
    assert json.loads(client.get("/healthz").content)["release"] == first
    guide.page("index", title="Changed")
    second = publish().release
    assert second != first
    assert json.loads(client.get("/healthz").content)["release"] == second


def test_a_probe_may_name_the_server_by_its_address():
    response = Client(HTTP_HOST="10.0.0.7").get("/healthz")
    assert response.status_code == 200
    assert Client(HTTP_HOST="10.0.0.7").get("/").status_code == 400  # the site itself still checks Host


def test_head_has_no_body_and_other_methods_are_refused(client):
    head = client.head("/healthz")
    assert head.status_code == 200 and head.content == b""
    assert int(head["Content-Length"]) == len(client.get("/healthz").content)
    assert client.post("/healthz").status_code == 405


def test_health_is_not_a_page_of_the_site(client):
    assert b"healthz" not in client.get("/sitemap.xml").content
    assert client.get("/healthz/").status_code == 404
