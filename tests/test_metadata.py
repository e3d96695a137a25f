"""Link previews and structured data: what a chat app or a search engine reads from a page."""

import json

import pytest

from .html_checks import Elements

PAGES = {
    "/botox-jaw-pain/": "OverviewHealthAspect",
    "/botox-jaw-pain/how-it-works/": "HowItWorksHealthAspect",
    "/botox-jaw-pain/is-it-right-for-me/": "SafetyHealthAspect",
    "/botox-jaw-pain/benefits/": "BenefitsHealthAspect",
    "/botox-jaw-pain/how-long-it-lasts/": "UsageOrScheduleHealthAspect",
    "/botox-jaw-pain/side-effects/": "SideEffectsHealthAspect",
    "/botox-jaw-pain/talk-to-a-professional/": "SeeDoctorHealthAspect",
}


def head(response):
    found = Elements(response.text).found
    meta = {attrs.get("property") or attrs.get("name"): attrs.get("content") for tag, attrs in found if tag == "meta"}
    links = {attrs["rel"]: attrs["href"] for tag, attrs in found if tag == "link"}
    return meta, links


def json_ld(response):
    start = response.text.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    return json.loads(response.text[start : response.text.index("</script>", start)])


@pytest.mark.parametrize("path", PAGES)
def test_link_preview_tags(client, path):
    response = client.get(path, HTTP_HOST="localhost")
    meta, links = head(response)
    url = "https://guide.example.org" + path
    assert links["canonical"] == url
    assert meta["og:url"] == url
    assert meta["og:title"] and meta["og:title"] == meta["twitter:title"]
    assert meta["description"] == meta["og:description"] == meta["twitter:description"]
    assert len(meta["description"]) > 40
    assert meta["og:image"] == "https://guide.example.org/static/img/share-card.png"
    assert meta["twitter:card"] == "summary_large_image"


def test_preview_image_is_served(client):
    response = client.get("/static/img/share-card.png")
    assert response.status_code == 200
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("path, aspect", PAGES.items())
def test_json_ld_describes_a_medical_web_page(client, path, aspect):
    data = json_ld(client.get(path))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["url"] == "https://guide.example.org" + path
    assert data["lastReviewed"] == "2026-11-29"
    assert data["about"] == [
        {"@type": "MedicalCondition", "name": "Temporomandibular joint (TMJ) disorder"},
        {"@type": "MedicalCondition", "name": "Bruxism (teeth grinding)"},
    ]
    assert data["audience"] == {"@type": "MedicalAudience", "audienceType": "Patient"}
    assert data["hasHealthAspect"] == f"https://schema.org/{aspect}"


def test_json_ld_cannot_break_out_of_its_script(client, guide):
    guide.page("index", title="'</script><script>alert(1)</script>'")
    text = client.get("/test-guide/").text
    assert "</script><script>alert(1)" not in text
    assert "\\u003C/script\\u003E" in text
