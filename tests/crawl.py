"""A small crawler: follows every same-site link from a start page and checks links and anchors."""

from urllib.parse import urljoin, urlsplit

from .html_checks import Elements

FOLLOW = {"a": "href", "link": "href", "img": "src", "script": "src"}


def crawl(fetch, start="/"):
    """Crawl with `fetch(path) -> (status, content_type, body)`; return (pages seen, problems)."""
    queue, seen, ids, anchors, problems = [(start, "(start)")], set(), {}, [], []
    while queue:
        path, referrer = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        status, content_type, body = fetch(path)
        if status != 200:
            problems.append(f"{path} answered {status} (linked from {referrer})")
            continue
        if not content_type.startswith("text/html"):
            continue
        found = Elements(body.decode()).found
        ids[path] = {attrs["id"] for _, attrs in found if attrs.get("id")}
        for tag, attrs in found:
            if tag not in FOLLOW or not attrs.get(FOLLOW[tag]) or attrs.get("rel") == "canonical":
                continue
            address = urlsplit(urljoin("http://site" + path, attrs[FOLLOW[tag]]))
            if address.scheme != "http" or address.netloc != "site":
                continue  # another site, mailto:, sms:
            if address.fragment:
                anchors.append((address.path, address.fragment, path))
            queue.append((address.path, path))
    for target, fragment, referrer in anchors:
        if target in ids and fragment not in ids[target]:
            problems.append(f"{target}#{fragment} does not exist (linked from {referrer})")
    return seen, problems


def client_fetcher(client):
    def fetch(path):
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, response.get("Content-Type", ""), body

    return fetch
