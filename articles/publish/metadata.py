"""What a page tells other software about itself: link previews, JSON-LD, share links.

Built in Python so that templates only print what is prepared here. Every
address is absolute and made from SITE_URL, never from the request.
"""

from urllib.parse import quote

from django.conf import settings

from articles.content import addresses
from articles.render.pages import HEALTH_ASPECTS

HOME_DESCRIPTION = "Plain-language guides for patients."


def absolute(path):
    return settings.SITE_URL + path


def site_name(site):
    """The publisher's name where a clinic has set one, else the site's neutral name."""
    return site.organisation if site and site.named else settings.SITE_NAME


def link_preview(site, guide, page, path, title=None):
    """Open Graph and Twitter card fields: what a chat app shows for a pasted link."""
    if page is not None:
        title, description = title or f"{page.title}: {guide.title}", page.summary
    elif guide is not None:
        title, description = title or guide.title, guide.summary
    else:
        title, description = title or site_name(site), HOME_DESCRIPTION
    return {
        "title": title,
        "description": description,
        "url": absolute(path),
        "image": absolute(addresses.card(guide.slug if guide else None)),
        "image_alt": f"{guide.title if guide else site_name(site)}: {guide.summary if guide else HOME_DESCRIPTION}",
        "site_name": site_name(site),
    }


def publisher(site):
    """schema.org Organization for the clinic, or None when no clinic is set."""
    if not (site and site.named):
        return None
    data = {"@type": "Organization", "name": site.organisation, "telephone": site.phone}
    if site.website:
        data["url"] = site.website
    if site.address:
        data["address"] = site.address
    return data


def medical_web_page(site, guide, page):
    """schema.org MedicalWebPage for one page of a guide."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": page.title,
        "headline": f"{guide.title}: {page.title}",
        "description": page.summary,
        "url": page.canonical_url,
        "inLanguage": "en-GB",
        "about": [{"@type": "MedicalCondition", "name": condition} for condition in guide.about],
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "isPartOf": {"@type": "WebSite", "name": settings.SITE_NAME, "url": absolute("/")},
    }
    if found := publisher(site):
        data["publisher"] = found
    if page.health_aspect:
        data["hasHealthAspect"] = f"https://schema.org/{HEALTH_ASPECTS[page.health_aspect]}"
    data.update(review_claims(page.review))
    if page.sources:
        data["citation"] = [
            {"@type": "CreativeWork", "name": source.title, "url": source.url} for source in page.sources
        ]
    return data


def review_claims(review):
    """reviewedBy and lastReviewed only while the signed-off text is the text shown; else when it changed."""
    if review.reviewed:
        signoff = review.signoff
        person = {"@type": "Person", "name": signoff.reviewer, "jobTitle": signoff.role}
        if signoff.registration:
            person["identifier"] = signoff.registration
        return {"reviewedBy": person, "lastReviewed": signoff.date.isoformat()}
    if review.updated:
        return {"dateModified": review.updated.isoformat()}
    return {}


def share_links(title, summary, url):
    """Ready-to-send email and text messages: the title, one sentence and the clean address."""
    subject = quote(title)
    body = quote(f"{summary}\n\n{url}")
    return {
        "email": f"mailto:?subject={subject}&body={body}",
        "sms": f"sms:?&body={quote(title + ': ' + url)}",
    }
