"""Addresses are worked out in one place (articles/content/addresses.py), and agree with the URLconf."""

import pytest
from django.urls import reverse

from articles.content import addresses


@pytest.mark.parametrize("kind", sorted(addresses.QR_KINDS))
def test_a_qr_codes_address_is_the_one_the_urlconf_routes(kind):
    # Made from the page's address for speed: it must still be exactly what urls.py names.
    assert addresses.qr("a-guide", "", kind) == reverse("articles:guide_qr", args=["a-guide", kind])
    assert addresses.qr("a-guide", "a-page", kind) == reverse("articles:page_qr", args=["a-guide", "a-page", kind])
