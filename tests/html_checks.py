"""Reading rendered HTML the way a browser would, to check what it really contains."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

from articles.render.pipeline import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES


class Elements(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_only_allowlisted(html):
    """Only allowlisted tags, attributes, classes and URL schemes; images only from this site."""
    for tag, attrs in Elements(html).found:
        assert tag in ALLOWED_TAGS, f"<{tag}> in {html!r}"
        for name, value in attrs.items():
            if name == "class":
                assert set(value.split()) <= ALLOWED_CLASSES.get(tag, set()), f"class={value!r} on <{tag}>"
                continue
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()), f"{name}= on <{tag}> in {html!r}"
            if name in {"href", "src"}:
                scheme = urlsplit(value.strip()).scheme.lower()
                assert not scheme or scheme in ALLOWED_URL_SCHEMES, f"{name}={value!r}"
                if tag == "img":
                    assert not scheme and not value.startswith("//"), f"external image {value!r}"
