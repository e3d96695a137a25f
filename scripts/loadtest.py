"""`make loadtest`: every page under concurrent load while another process edits the content.

It starts gunicorn (production settings, 127.0.0.1 only) on a copy of content/,
runs wrk against every page for a fixed time while a second process keeps
rewriting (in place and atomically), deleting and restoring content files, and
sends gunicorn a SIGHUP half-way to reload its workers. Every response must be
a complete page (of the old or the new version) and none a 5xx. It prints the
figures and exits 1 on any error. Bounded: LOADTEST_SECONDS (default 20).
"""

import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from scripts.harness import ROOT, collectstatic, free_port, gunicorn, production_environment, require_wrk, run_wrk

SECONDS = int(os.environ.get("LOADTEST_SECONDS", "20"))

LUA = """
local paths = {%(paths)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counter = 0; server_errors = 0; incomplete = 0 end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
  local kind = headers["Content-Type"] or ""
  if kind:find("text/html", 1, true) and not body:find("</html>%%s*$") then incomplete = incomplete + 1 end
end
function done(summary, latency, requests)
  local failed, cut = 0, 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("server_errors")
    cut = cut + thread:get("incomplete")
  end
  io.write(string.format("LOADTEST server_errors=%%d incomplete=%%d\\n", failed, cut))
end
"""


def page_paths():
    listed = (ROOT / "content" / "published-urls.txt").read_text().splitlines()
    return [line.strip() for line in listed if line.strip().startswith("/") and "sitemap" not in line]


def keep_editing(content, stop):
    """Rewrite, delete and restore pages until told to stop: what editors (and their tools) do."""
    targets = [content / "botox-jaw-pain" / "benefits.md", content / "botox-jaw-pain" / "how-long-it-lasts.md"]
    originals = {path: path.read_text() for path in targets}
    cycle = 0
    while not stop.is_set():
        path = targets[cycle % len(targets)]
        edited = originals[path].replace("\n## ", f"\nEdit number {cycle}.\n\n## ", 1)
        if cycle % 5 == 4:
            path.unlink()
            time.sleep(0.05)
            path.write_text(originals[path])
        elif cycle % 2:
            path.write_text(edited)  # in place: readers may catch it half-written
        else:
            partial = path.with_name(f".{path.name}.tmp")
            partial.write_text(edited)
            os.replace(partial, path)  # atomic: readers see old or new, nothing between
        cycle += 1
        time.sleep(0.05)
    for path, text in originals.items():
        path.write_text(text)
    print(f"Editor: {cycle} edits, deletions and restorations.")


def main():
    require_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
    content = workdir / "content"
    shutil.copytree(ROOT / "content", content)
    script = workdir / "pages.lua"
    script.write_text(LUA % {"paths": ", ".join(f'"{path}"' for path in page_paths())})
    port = free_port()
    environment = production_environment(port, CONTENT_DIR=content)
    log_path = workdir / "gunicorn.log"
    stop = multiprocessing.Event()
    editor = multiprocessing.Process(target=keep_editing, args=(content, stop))
    collectstatic(environment)
    print(f"Load test: {SECONDS} s on every page, 16 connections, content edited meanwhile, SIGHUP half-way.")
    try:
        with gunicorn(environment, log_path) as (url, master):
            editor.start()
            reload = threading.Timer(SECONDS / 2, os.kill, args=(master.pid, signal.SIGHUP))
            reload.start()
            output, figures = run_wrk(url, SECONDS, script=script)
            reload.cancel()
            stop.set()
            editor.join(timeout=10)
        log = log_path.read_text()
    finally:
        stop.set()
        shutil.rmtree(workdir, ignore_errors=True)
    server_errors, incomplete = map(int, re.search(r"server_errors=(\d+) incomplete=(\d+)", output).groups())
    tracebacks = log.count("Traceback (most recent call last)")
    errors = server_errors + incomplete + figures["socket_errors"] + tracebacks
    print(output.strip())
    print()
    print(f"Requests:          {figures['requests']}")
    print(f"Requests/s:        {figures['requests_per_second']:.0f}")
    print(f"Latency p50 / p99: {figures['p50_ms']:.2f} ms / {figures['p99_ms']:.2f} ms")
    print(f"5xx responses:     {server_errors}")
    print(f"Incomplete pages:  {incomplete}")
    print(f"Socket errors:     {figures['socket_errors']}")
    print(f"Server tracebacks: {tracebacks}")
    print(f"Reloads (SIGHUP):  {log.count('Handling signal: hup')}")
    print(f"Errors:            {errors}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
