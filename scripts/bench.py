"""`make bench`: how fast the site serves, measured with wrk against gunicorn on 127.0.0.1.

Not a test: it prints figures. Five targets, interleaved and repeated so that
the machine's noise hits them alike: (1) a guide page, (2) the printable
handout, (3) a static file of the same size as the page, served by WhiteNoise in
the same server; then the static export (`manage.py export_site`) under its own
nginx.conf: (4) the same page, (5) a plain file of the same size. Then the
workers' memory before and after a run in which every request has its own query
string and forwarded headers (it must not grow), and the time to publish the
whole site from scratch. Compare ratios within one run,
not absolute numbers across runs: wrk shares the machine's cores with the server.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.harness import (
    ROOT,
    VENV_BIN,
    free_port,
    gunicorn,
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


def main():
    require_wrk()
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    environment = production_environment(port, RELEASES_DIR=workdir / "releases", GUNICORN_PIDFILE=workdir / "pid")
    python = str(VENV_BIN / "python")
    subprocess.run([python, "manage.py", "publish"], cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)
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
    if errors:
        print(f"Errors during the benchmark: {errors}")
        sys.exit(1)


if __name__ == "__main__":
    main()
