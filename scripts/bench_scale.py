"""`make bench`, scale part: publishing libraries of thousands of pages, made up in a temporary folder.

Prints, for 100 guides of 10 pages (1,000 pages) and 1,000 guides of 10 pages
(10,000 pages): the time to publish from nothing and the publish's peak memory
(the command and its loader child); then the time to publish a one-word edit to
one page of the 1,000-page library, five times (a page each) and their median. Each
with its processor time, user and system (the command and its children); before and
after them, how fast the machine is then (scripts/harness.py machine_speed). Targets:
10,000 pages in under 60 s and 1 GB; a one-word edit in under 2 s.

    python -m scripts.bench_scale [GUIDES ...]     (default: 100 1000)
"""

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.harness import ROOT, VENV_BIN, machine_speed, production_environment

PAGES_PER_GUIDE = 10
# A one-word edit takes a second or two, and this machine's speed moves by a third from one second
# to the next (README): five edits, one page each, and their median.
EDITS = 5
PARAGRAPH = (
    "You may feel some pain in your jaw. Talk to your dentist if it does not go away. "
    "Rest your jaw and eat soft food for a few days, and keep a note of when it hurts."
)


def evidence_log(page):
    """The page's evidence log: its summary, headings and sentences, none of them a claim (no sources)."""
    sentences = [f"What page {page} is about"]
    for part in range(4):
        sentences += [f"Part {part}", *(sentence for sentence in PARAGRAPH.split(". ") if sentence)]
    unique = dict.fromkeys(sentence.rstrip(".") for sentence in sentences)
    return "".join(f'- sentence: "{sentence}"\n  no_claim: note\n' for sentence in unique)


def page_name(page):
    """Each guide opens with its front page, index.md, as every guide must."""
    return "index" if page == 0 else f"page-{page:02d}"


def make_library(root, guides):
    """`guides` guides of PAGES_PER_GUIDE pages each, every page with a few sections of plain text."""
    for number in range(guides):
        folder = root / f"guide-{number:04d}"
        folder.mkdir(parents=True)
        (folder / "guide.yaml").write_text(
            f"title: Guide {number}\nsummary: What guide {number} explains.\naudience: Patients\nabout: Jaw pain\n"
        )
        for page in range(PAGES_PER_GUIDE):
            sections = "\n\n".join(f"## Part {part} {{#part-{part}}}\n\n{PARAGRAPH}" for part in range(4))
            (folder / f"{page_name(page)}.md").write_text(
                f"---\ntitle: Page {page} of guide {number}\nsummary: What page {page} is about.\n"
                f"order: {page + 1}\nnext_review_due: 2027-01-01\n---\n{sections}\n"
            )
            (folder / f"{page_name(page)}.evidence.yaml").write_text(evidence_log(page))


def publish(environment):
    """(seconds, peak resident memory in MiB, processor seconds: user and system) of one
    `manage.py publish`, its children included."""
    started = time.monotonic()
    process = subprocess.Popen(
        [str(VENV_BIN / "python"), "manage.py", "publish"], cwd=ROOT, env=environment, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("publish failed")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the loader child, among others
    # The kernel's share says as much about the disk's recent past as about the code (README).
    return seconds, max(usage.ru_maxrss, children) / 1024, (usage.ru_utime, usage.ru_stime)


def publish_edit(environment, content, page):
    """(seconds, processor times) of publishing one word changed on page `page` of the first guide."""
    path = content / "guide-0000" / f"{page_name(page)}.md"
    path.write_text(path.read_text().replace("some pain", "slight pain", 1))
    log = path.with_suffix(".evidence.yaml")  # the edited sentence needs its record too
    log.write_text(log.read_text() + '- sentence: "You may feel slight pain in your jaw"\n  no_claim: note\n')
    seconds, _, processor = publish(environment)
    return seconds, processor


def _processor(times):
    user, system = times
    return f"processor: {user:.1f} s user, {system:.1f} s system"


def main():
    sizes = [int(argument) for argument in sys.argv[1:]] or [100, 1000]
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    print(machine_speed(), flush=True)
    try:
        for guides in sizes:
            content, releases = workdir / f"content-{guides}", workdir / f"releases-{guides}"
            make_library(content, guides)
            environment = production_environment(8000, CONTENT_DIR=content, RELEASES_DIR=releases)
            seconds, peak, processor = publish(environment)
            pages = guides * PAGES_PER_GUIDE
            print(
                f"{guides} guides x {PAGES_PER_GUIDE} pages ({pages} pages): published in {seconds:.1f} s, "
                f"peak memory {peak:.0f} MiB ({_processor(processor)})",
                flush=True,
            )
            if guides == sizes[0]:
                edits = [publish_edit(environment, content, page) for page in range(3, 3 + EDITS)]
                times = ", ".join(f"{seconds:.1f}" for seconds, _ in edits)
                seconds, processor = sorted(edits)[EDITS // 2]
                print(
                    f"  a one-word edit to one page of those {pages}, {EDITS} times (a page each): published in "
                    f"{times} s; the median {seconds:.1f} s ({_processor(processor)})",
                    flush=True,
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(machine_speed(), flush=True)


if __name__ == "__main__":
    main()
