"""The real site's addresses, shared by the tests that visit every page."""

from pathlib import Path

# Guide page -> its title, in the guide's order.
GUIDE_PAGES = {
    "/botox-jaw-pain/": "Overview",
    "/botox-jaw-pain/how-it-works/": "How it works",
    "/botox-jaw-pain/is-it-right-for-me/": "Is it right for me?",
    "/botox-jaw-pain/benefits/": "Benefits",
    "/botox-jaw-pain/how-long-it-lasts/": "How long it lasts",
    "/botox-jaw-pain/side-effects/": "Side effects and safety",
    "/botox-jaw-pain/talk-to-a-professional/": "Talk to a professional",
}

PUBLISHED = [
    line.strip()
    for line in (Path(__file__).resolve().parent.parent / "content" / "published-urls.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]

# Every HTML page, the 404 page included.
HTML_PAGES = [url for url in PUBLISHED if url.endswith("/")] + ["/no-such-page/"]
