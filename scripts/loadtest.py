"""`make loadtest`: every page under concurrent load while another process edits and publishes.

It starts gunicorn (production settings, 127.0.0.1 only) on a copy of content/,
runs wrk against every page for a fixed time while a second process keeps
editing a page (its title and its text carry the same edit number), breaking
another and publishing (good publishes switch the release, refused ones change
nothing), while a third keeps publishing and rolling back at the same time.
Every response must be a complete page of one release (title and text of the
same edit) and none a 404 or 5xx; every "Published" or "Rolled back" must name
a release that exists whole. It prints the counts and exits 1 on any error.
Bounded: LOADTEST_SECONDS (default 20).
"""

import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.harness import ROOT, VENV_BIN, free_port, gunicorn, production_environment, require_wrk, run_wrk

SECONDS = int(os.environ.get("LOADTEST_SECONDS", "20"))

LUA = """
local paths = {%(paths)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counter = 0; server_errors = 0; not_found = 0; incomplete = 0; mixed = 0; checked = 0 end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
  if status == 404 then not_found = not_found + 1 end
  local kind = headers["Content-Type"] or ""
  if kind:find("text/html", 1, true) and not body:find("</html>%%s*$") then incomplete = incomplete + 1 end
  -- The benefits page (its <h1>) and the handout (its <h2>) carry the edit number twice;
  -- other pages name the page in links, which prove nothing.
  local titled = body:match('page%%-header__page">Benefits %%(edit (%%d+)%%)<')
    or body:match('<h2 id="benefits">%%d+%%. Benefits %%(edit (%%d+)%%)</h2>')  -- numbered sections
  local written = body:match("Edit number (%%d+)%%.")
  if titled and written then checked = checked + 1 end
  if titled ~= written then mixed = mixed + 1 end
end
function done(summary, latency, requests)
  local failed, missing, cut, mixes, seen = 0, 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("server_errors")
    missing = missing + thread:get("not_found")
    cut = cut + thread:get("incomplete")
    mixes = mixes + thread:get("mixed")
    seen = seen + thread:get("checked")
  end
  local line = "LOADTEST server_errors=%%d not_found=%%d incomplete=%%d mixed=%%d checked=%%d\\n"
  io.write(string.format(line, failed, missing, cut, mixes, seen))
end
"""


def page_paths():
    listed = (ROOT / "content" / "published-urls.txt").read_text().splitlines()
    return [line.strip() for line in listed if line.strip().startswith("/") and "sitemap" not in line]


def keep_editing(content, environment, stop):
    """Edit, break and publish until told to stop: what editors do, faster."""
    page = content / "botox-jaw-pain" / "benefits.md"
    evidence = content / "botox-jaw-pain" / "benefits.evidence.yaml"
    other = content / "botox-jaw-pain" / "how-long-it-lasts.md"
    original, other_original, evidence_original = page.read_text(), other.read_text(), evidence.read_text()
    publish = [str(VENV_BIN / "python"), "manage.py", "publish"]
    cycle, published, refused = 0, 0, 0
    while not stop.is_set():
        cycle += 1
        edited = original.replace("title: Benefits", f"title: Benefits (edit {cycle})", 1)
        page.write_text(edited.replace("\n## ", f"\nEdit number {cycle}.\n\n## ", 1))
        # Every sentence needs its evidence record, or publishing refuses the page.
        evidence.write_text(evidence_original.rstrip("\n") + f'\n- sentence: "Edit number {cycle}"\n  no_claim: note\n')
        if cycle % 3 == 0:
            other.write_text(other_original.replace("order:", "order: three #", 1))  # refused
        result = subprocess.run(publish, cwd=ROOT, env=environment, capture_output=True, text=True)
        other.write_text(other_original)
        if result.returncode == 0:
            published += 1
        else:
            refused += 1
    page.write_text(original)
    evidence.write_text(evidence_original)
    print(f"Editor: {cycle} edits; {published} published, {refused} refused.")


def keep_racing(environment, stop, counts):
    """Publish and roll back at the same time, over and over: each must wait its turn and say only what is live."""
    command = [str(VENV_BIN / "python"), "manage.py", "publish"]
    releases = Path(environment["RELEASES_DIR"])
    while not stop.is_set():
        runs = [
            subprocess.Popen(
                arguments, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for arguments in (command, [*command, "--rollback"])
        ]
        for kind, run in zip(("publishes", "rollbacks"), runs, strict=True):
            out, _ = run.communicate()
            said = re.search(r"Published release (\S+) |Rolled back from \S+ to (\S+)\.$", out.strip())
            if said:
                counts[kind] += 1
                if not (releases / (said[1] or said[2]) / "manifest.json").is_file():
                    counts["false_reports"] += 1
            if "waiting for it to finish" in out:
                counts["waited"] += 1


def main():
    require_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
    content = workdir / "content"
    shutil.copytree(ROOT / "content", content)
    script = workdir / "pages.lua"
    script.write_text(LUA % {"paths": ", ".join(f'"{path}"' for path in page_paths())})
    port = free_port()
    environment = production_environment(
        port, CONTENT_DIR=content, RELEASES_DIR=workdir / "releases", GUNICORN_PIDFILE=workdir / "gunicorn.pid"
    )
    log_path = workdir / "gunicorn.log"
    stop = multiprocessing.Event()
    editor = multiprocessing.Process(target=keep_editing, args=(content, environment, stop))
    counts = multiprocessing.Manager().dict(publishes=0, rollbacks=0, waited=0, false_reports=0)
    racer = multiprocessing.Process(target=keep_racing, args=(environment, stop, counts))
    subprocess.run([str(VENV_BIN / "python"), "manage.py", "publish"], cwd=ROOT, env=environment, check=True)
    print(f"Load test: {SECONDS} s on every page, 16 connections, content edited and published meanwhile.")
    try:
        with gunicorn(environment, log_path) as (url, master):
            editor.start()
            racer.start()
            output, figures = run_wrk(url, SECONDS, script=script)
            stop.set()
            editor.join(timeout=60)
            racer.join(timeout=60)
        log = log_path.read_text()
    finally:
        stop.set()
        shutil.rmtree(workdir, ignore_errors=True)
    found = re.search(r"server_errors=(\d+) not_found=(\d+) incomplete=(\d+) mixed=(\d+) checked=(\d+)", output)
    server_errors, not_found, incomplete, mixed, checked = map(int, found.groups())
    tracebacks = log.count("Traceback (most recent call last)")
    # No page checked for a mix would mean the check itself is broken.
    errors = (
        server_errors
        + not_found
        + incomplete
        + mixed
        + counts["false_reports"]
        + figures["socket_errors"]
        + tracebacks
        + (checked == 0)
    )
    print(output.strip())
    print()
    print(f"Requests:          {figures['requests']}")
    print(f"Requests/s:        {figures['requests_per_second']:.0f}")
    print(f"Latency p50 / p99: {figures['p50_ms']:.2f} ms / {figures['p99_ms']:.2f} ms")
    print(f"5xx responses:     {server_errors}")
    print(f"404 responses:     {not_found}")
    print(f"Incomplete pages:  {incomplete}")
    print(f"Mixed releases:    {mixed} (of {checked} pages that carry the edit number twice)")
    print(f"Socket errors:     {figures['socket_errors']}")
    print(f"Server tracebacks: {tracebacks}")
    print(
        f"Racing publishes:  {counts['publishes']} (against {counts['rollbacks']} rollbacks; {counts['waited']} waited)"
    )
    print(f"False reports:     {counts['false_reports']} (a release reported live that does not exist)")
    print(f"Errors:            {errors}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
