from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .content import get_library


class SiteUrlSitemap(Sitemap):
    """Absolute addresses from SITE_URL, never from the request's Host header."""

    def get_urls(self, page=1, site=None, protocol=None):
        parts = urlsplit(settings.SITE_URL)
        return super().get_urls(page, site=SimpleNamespace(domain=parts.netloc), protocol=parts.scheme)


class GuidePageSitemap(SiteUrlSitemap):
    """Every public guide page, with the date it was last reviewed. Drafts never appear."""

    def items(self):
        return [page for guide in get_library().guides.values() for page in guide.pages if not page.draft]

    def location(self, page):
        return page.url

    def lastmod(self, page):
        return page.last_reviewed


class SitePageSitemap(SiteUrlSitemap):
    def items(self):
        return ["articles:home", "articles:privacy"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"guides": GuidePageSitemap, "site": SitePageSitemap}
