"""CPU time to load and render the whole content folder from scratch (run by bench.py).

Prints JSON: the fastest and the median of several runs, in milliseconds.
"""

import json
import statistics
import time

import django

django.setup()

from django.conf import settings  # noqa: E402

from articles.content import ContentStore  # noqa: E402

RUNS = 15


def main():
    timings = []
    for _ in range(RUNS):
        started = time.process_time()
        library = ContentStore(settings.CONTENT_DIR).library()
        timings.append((time.process_time() - started) * 1000)
    pages = sum(len(guide.pages) for guide in library.guides.values())
    print(json.dumps({"pages": pages, "min_ms": min(timings), "median_ms": statistics.median(timings)}))


if __name__ == "__main__":
    main()
