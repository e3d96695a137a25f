"""Wall time to publish the whole site from scratch into a new releases folder (run by bench.py).

Load, check, render, compress and write every file, then switch `current`.
Prints JSON: the fastest and the median of several runs, in milliseconds.
"""

import json
import statistics
import tempfile
import time

import django

django.setup()

from django.conf import settings  # noqa: E402

from articles.publish.publishing import publish  # noqa: E402

RUNS = 5


def main():
    timings = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as releases:
            settings.RELEASES_DIR = releases
            started = time.perf_counter()
            outcome = publish()
            timings.append((time.perf_counter() - started) * 1000)
    print(json.dumps({"files": outcome.files, "min_ms": min(timings), "median_ms": statistics.median(timings)}))


if __name__ == "__main__":
    main()
