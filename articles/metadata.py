"""What a page tells other software about itself: link previews, JSON-LD, share links.

Built in Python so that templates only print what is prepared here. Every
address is absolute and made from SITE_URL, never from the request.
"""

from urllib.parse import quote

from django.conf import settings
from django.templatetags.static import static

from .content import HEALTH_ASPECTS


def absolute(path):
    return settings.SITE_URL + path


def link_preview(title, description, url):
    """Open Graph and Twitter card fields: what a chat app shows for a pasted link."""
    image = absolute(static("img/share-card.png"))
    return {
        "title": title,
        "description": description,
        "url": url,
        "image": image,
        "image_alt": f"{settings.SITE_NAME}: plain-language patient guides",
        "site_name": settings.SITE_NAME,
    }


def medical_web_page(guide, page):
    """schema.org MedicalWebPage for one page of a guide."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": page.title,
        "headline": f"{guide.title}: {page.title}",
        "description": page.summary,
        "url": page.canonical_url,
        "inLanguage": "en-GB",
        "lastReviewed": page.last_reviewed.isoformat(),
        "about": [{"@type": "MedicalCondition", "name": condition} for condition in guide.about],
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "isPartOf": {"@type": "WebSite", "name": settings.SITE_NAME, "url": absolute("/")},
    }
    if page.health_aspect:
        data["hasHealthAspect"] = f"https://schema.org/{HEALTH_ASPECTS[page.health_aspect]}"
    if page.reviewed_by:
        data["reviewedBy"] = {"@type": "Person", "name": page.reviewed_by}
    if page.sources:
        data["citation"] = [{"@type": "CreativeWork", "name": title, "url": url} for title, url in page.sources]
    return data


def share_links(title, summary, url):
    """Ready-to-send email and text messages: the title, one sentence and the clean address."""
    subject = quote(title)
    body = quote(f"{summary}\n\n{url}")
    return {
        "email": f"mailto:?subject={subject}&body={body}",
        "sms": f"sms:?&body={quote(title + ': ' + url)}",
    }
