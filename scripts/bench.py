"""`make bench`: how fast the site serves, measured with wrk against gunicorn on 127.0.0.1.

Not a test: it prints figures. Five targets, interleaved and repeated so that
the machine's noise hits them alike: (1) a guide page, (2) the printable
handout, (3) a static file of the same size as the page, served by WhiteNoise in
the same server; then the static export (`manage.py export_site`) under its own
nginx.conf: (4) the same page, (5) a plain file of the same size. Then the
workers' memory before and after a run in which every request has its own query
string and forwarded headers (it must not grow), and the time to publish the
whole site from scratch. Then patient feedback on SQLite: (6) posts a second
(wrk, every post from its own client), and (7) the guide page's rate while feedback
is posted from 500 clients at once at FEEDBACK_POSTS_PER_SECOND, against its rate
alone in the same rounds (target >= 0.95). Compare ratios within one run,
not absolute numbers across runs: wrk shares the machine's cores with the server.
"""

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

from scripts.harness import (
    ROOT,
    VENV_BIN,
    free_port,
    gunicorn,
    machine_speed,
    nginx,
    production_environment,
    require_wrk,
    rss_mib,
    run_wrk,
    tempfile_path,
    worker_pids,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PAGE = "/botox-jaw-pain/benefits/"
HANDOUT = "/botox-jaw-pain/print/"
STATIC_COPY = "bench/page-copy.html"
DISTINCT = """
counter = 0
function request()
  counter = counter + 1
  return wrk.format("GET", "%s?n=" .. counter, {["X-Forwarded-Host"] = "h" .. counter .. ".example",
    ["X-Forwarded-Prefix"] = "/p" .. counter, ["SCRIPT_NAME"] = "/p" .. counter})
end
"""
# Every post from its own client (X-Forwarded-For, trusted from 127.0.0.1), as the form sends it.
FEEDBACK_POST = """
counter = 0
function request()
  counter = counter + 1
  return wrk.format("POST", "/feedback/", {["Content-Type"] = "application/x-www-form-urlencoded",
    ["Sec-Fetch-Site"] = "same-origin", ["Origin"] = "null",
    ["X-Forwarded-For"] = "10." .. (math.floor(counter / 65536) % 256) .. "." ..
    (math.floor(counter / 256) % 256) .. "." .. (counter % 256)},
    "page=PAGE_ADDRESS&helpful=no&comment=Benchmark+comment+number+" .. counter)
end
"""
# Far more than a patient site receives (a busy one: a few an hour), from many clients at once.
FEEDBACK_POSTS_PER_SECOND = int(os.environ.get("FEEDBACK_POSTS_PER_SECOND", "10"))
FEEDBACK_CLIENTS = 500


class FeedbackTraffic:
    """Feedback posted at `rate` a second from FEEDBACK_CLIENTS addresses, over CONNECTIONS at once, in threads."""

    CONNECTIONS = 10

    def __init__(self, port, rate):
        self.port, self.interval = port, self.CONNECTIONS / rate
        self.statuses, self.stop, self.lock = {}, threading.Event(), threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(self.CONNECTIONS)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def run(self, first):
        body = f"page={quote(PAGE)}&helpful=yes&comment=Posted+while+pages+are+read"
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"}
        number, next_at = first, time.monotonic() + self.interval * first / self.CONNECTIONS
        while not self.stop.wait(max(0, next_at - time.monotonic())):
            client = f"10.9.{number % FEEDBACK_CLIENTS // 256}.{number % FEEDBACK_CLIENTS % 256}"
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            connection.request("POST", "/feedback/", body, {**headers, "X-Forwarded-For": client})
            status = connection.getresponse().status
            connection.close()
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
            number += self.CONNECTIONS
            next_at += self.interval


def main():
    require_wrk()
    print(machine_speed(), flush=True)
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    environment = production_environment(
        port,
        RELEASES_DIR=workdir / "releases",
        GUNICORN_PIDFILE=workdir / "pid",
        SQLITE_PATH=workdir / "db.sqlite3",
        FORWARDED_ALLOW_IPS="127.0.0.1",
    )
    environment.pop("DATABASE_URL", None)  # feedback on SQLite, as `make serve` has it
    python = str(VENV_BIN / "python")
    subprocess.run([python, "manage.py", "publish"], cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([python, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=environment, check=True)
    log = tempfile_path("bench-gunicorn.log")

    # A static file the size of the page: the page's own bytes, beside the release's static files.
    public = workdir / "releases" / "current" / "public"
    page_bytes = (public / PAGE.strip("/") / "index.html").read_bytes()
    copy = public / "static" / STATIC_COPY
    copy.parent.mkdir(exist_ok=True)
    copy.write_bytes(page_bytes)

    # The export behind nginx, with a plain file of the page's size that no rule touches.
    export = workdir / "export"
    nginx_port = free_port()
    command = [python, "manage.py", "export_site", str(export), "--port", str(nginx_port)]
    subprocess.run(command, cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)
    workdir.chmod(0o755)  # nginx's workers may run as another user
    (export / "public" / "bench-plain").mkdir()
    (export / "public" / "bench-plain" / "page.html").write_bytes(page_bytes)

    targets = {
        "guide page": PAGE,
        "handout": HANDOUT,
        "static file": f"/static/{STATIC_COPY}",
        "nginx page": PAGE,
        "nginx plain": "/bench-plain/page.html",
    }
    results = {name: [] for name in targets}
    with (
        gunicorn(environment, log) as (url, master),
        nginx(export, nginx_port, tempfile_path("bench-nginx.log")) as nginx_url,
    ):
        base = {name: nginx_url if name.startswith("nginx") else url for name in targets}
        print(
            f"gunicorn: {len(worker_pids(master.pid))} workers on 127.0.0.1:{port}; "
            f"nginx on 127.0.0.1:{nginx_port}; wrk: 2 threads, 16 connections"
        )
        print(f"Sizes: page {len(page_bytes)} B, static copy {copy.stat().st_size} B. Warming up...")
        for name, path in targets.items():
            run_wrk(base[name] + path, 2)
        for round_number in range(1, ROUNDS + 1):
            for name, path in targets.items():
                _, figures = run_wrk(base[name] + path, SECONDS)
                results[name].append(figures)
                print(f"  round {round_number}: {name:<12} {figures['requests_per_second']:8.0f} req/s")
        memory = [rss_mib(pid) for pid in worker_pids(master.pid)]
        script = workdir / "distinct.lua"
        script.write_text(DISTINCT % PAGE)
        _, distinct = run_wrk(url + PAGE, SECONDS * 2, script=script)
        memory_after = [rss_mib(pid) for pid in worker_pids(master.pid)]

        feedback_script = workdir / "feedback.lua"
        feedback_script.write_text(FEEDBACK_POST.replace("PAGE_ADDRESS", quote(PAGE, safe="")))
        _, posts = run_wrk(url + "/feedback/", SECONDS, script=feedback_script)
        print(f"  feedback posts: {posts['requests_per_second']:8.0f} posts/s")
        alone, with_feedback, traffic_statuses = [], [], {}
        for round_number in range(1, ROUNDS + 1):
            alone.append(run_wrk(url + PAGE, SECONDS)[1]["requests_per_second"])
            with FeedbackTraffic(port, FEEDBACK_POSTS_PER_SECOND) as traffic:
                with_feedback.append(run_wrk(url + PAGE, SECONDS)[1]["requests_per_second"])
            for status, number in traffic.statuses.items():
                traffic_statuses[status] = traffic_statuses.get(status, 0) + number
            print(f"  round {round_number}: page {alone[-1]:8.0f} req/s alone, {with_feedback[-1]:8.0f} with feedback")

    load = json.loads(
        subprocess.run(
            [python, "-m", "scripts.publish_time"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )

    print()
    print(f"{'target':<12} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}   (median of {ROUNDS} runs of {SECONDS} s)")
    medians = {}
    for name, runs in results.items():
        medians[name] = statistics.median(run["requests_per_second"] for run in runs)
        p50 = statistics.median(run["p50_ms"] for run in runs)
        p99 = statistics.median(run["p99_ms"] for run in runs)
        print(f"{name:<12} {medians[name]:8.0f} {p50:8.2f} {p99:8.2f}")
    errors = sum(run["socket_errors"] + run["non_2xx_3xx"] for runs in results.values() for run in runs)
    print()
    print(f"Ratio guide page / static file: {medians['guide page'] / medians['static file']:.2f} (target >= 0.95)")
    print(f"Ratio handout / static file:    {medians['handout'] / medians['static file']:.2f}")
    print(f"Ratio nginx page / nginx plain file: {medians['nginx page'] / medians['nginx plain']:.2f} (target >= 0.9)")
    print(f"Ratio gunicorn page / nginx page:    {medians['guide page'] / medians['nginx page']:.2f} (for information)")
    print(
        f"Publish the whole site ({load['files']} files) from scratch: "
        f"{load['min_ms']:.0f} ms fastest, {load['median_ms']:.0f} ms median (target < 2000 ms)"
    )
    print(f"Worker memory (RSS): {', '.join(f'{mib:.0f}' for mib in memory)} MiB")
    print(
        f"After {distinct['requests']} more requests, each with its own query string and forwarded headers: "
        f"{', '.join(f'{mib:.0f}' for mib in memory_after)} MiB"
    )
    page_alone, page_with = statistics.median(alone), statistics.median(with_feedback)
    # Each round measures both back to back: the median of the rounds' ratios resists the machine's drift.
    ratio = statistics.median(w / a for a, w in zip(alone, with_feedback, strict=True))
    print()
    print(f"Feedback posts on SQLite: {posts['requests_per_second']:.0f} posts/s (p50 {posts['p50_ms']:.1f} ms)")
    print(
        f"Guide page while {FEEDBACK_CLIENTS} clients post {FEEDBACK_POSTS_PER_SECOND} feedback/s: "
        f"{page_with:.0f} req/s; alone: {page_alone:.0f} req/s; ratio {ratio:.2f} (target >= 0.95)"
    )
    posted = sum(traffic_statuses.values())
    print(f"Feedback answers during that: {dict(sorted(traffic_statuses.items()))} in {ROUNDS * SECONDS} s")
    errors += posts["socket_errors"] + posts["non_2xx_3xx"] + posted - traffic_statuses.get(303, 0)
    if errors:
        print(f"Errors during the benchmark: {errors}")
        sys.exit(1)


if __name__ == "__main__":
    main()
