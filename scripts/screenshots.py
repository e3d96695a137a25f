"""`make screenshots DIR=...`: the whole site as pictures, for a person to look at in a minute.

Publishes the content into a temporary folder (with the example clinic of
docs/site.yaml.example when CLINIC=1), serves it with gunicorn on 127.0.0.1,
and writes into DIR:

- `<page>-<width>-<scheme>.png`: every HTML page, full length, at 320, 390 and
  1280 px wide, in light and dark;
- `<handout>-<paper>-<n>.png`: each sheet of both handouts printed to PDF on A4
  and US Letter by Chromium (default print settings: no background graphics),
  turned into pictures by pdftoppm (poppler-utils).

Not a test: it checks nothing, it shows everything.
"""

import base64
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.harness import ROOT, VENV_BIN, free_port, gunicorn, production_environment

WIDTHS = (320, 390, 1280)
SCHEMES = ("light", "dark")
PAPER = {"a4": (21.0, 29.7), "letter": (21.59, 27.94)}  # cm
HANDOUTS = {"print": "/botox-jaw-pain/print/", "print-summary": "/botox-jaw-pain/print/summary/"}


def name_of(path):
    """'/' -> 'home', '/botox-jaw-pain/side-effects/' -> 'botox-jaw-pain-side-effects'."""
    return path.strip("/").replace("/", "-") or "home"


def html_paths(environment):
    """Every HTML address of the published site, from the same list that publishing uses."""
    code = (
        "import django; django.setup();"
        "from articles.content.addresses import public_paths;"
        "from articles.render.library import load_library;"
        "print('\\n'.join(p for p in public_paths(load_library(drafts=False)) if p.endswith('/')))"
    )
    output = subprocess.run(
        [str(VENV_BIN / "python"), "-c", code], cwd=ROOT, env=environment, check=True, capture_output=True, text=True
    ).stdout
    return output.split() + ["/no-such-page/"]


def main():
    target = os.environ.get("DIR") or (sys.argv[1] if len(sys.argv) > 1 else "")
    if not target:
        sys.exit("Say where: make screenshots DIR=/path/to/folder")
    if not shutil.which("pdftoppm"):
        sys.exit("pdftoppm is not installed: run 'sudo apt-get install poppler-utils' and try again.")
    from selenium.webdriver.common.print_page_options import PrintOptions

    from tests.browser import CHROMEDRIVER, CHROMIUM, INSTALL_HINT, emulate, set_viewport, start_chromium

    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        sys.exit(f"Chromium is not installed: run 'sudo {INSTALL_HINT}' and try again.")
    target = Path(target).resolve()
    target.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="screenshots-"))
    content = ROOT / "content"
    if os.environ.get("CLINIC"):
        content = workdir / "content"
        shutil.copytree(ROOT / "content", content)
        shutil.copy(ROOT / "docs" / "site.yaml.example", content / "site.yaml")
    port = int(os.environ.get("PORT") or free_port())
    # SITE_URL=https://... prints the site's public address on the handouts, as a clinic's would.
    public = {"SITE_URL": os.environ["SITE_URL"]} if os.environ.get("SITE_URL") else {}
    environment = production_environment(
        port, RELEASES_DIR=workdir / "releases", GUNICORN_PIDFILE=workdir / "pid", CONTENT_DIR=content, **public
    )
    python = str(VENV_BIN / "python")
    subprocess.run([python, "manage.py", "publish"], cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)
    paths = html_paths(environment)

    driver = start_chromium()
    written = 0
    try:
        with gunicorn(environment, workdir / "gunicorn.log") as (url, _):
            for path in paths:
                for scheme in SCHEMES:
                    emulate(driver, prefers_color_scheme=scheme)
                    for width in WIDTHS:
                        set_viewport(driver, width, 900)
                        driver.get(url + path)
                        height = driver.execute_script("return document.documentElement.scrollHeight")
                        set_viewport(driver, width, min(height, 12000))
                        (target / f"{name_of(path)}-{width}-{scheme}.png").write_bytes(driver.get_screenshot_as_png())
                        written += 1
            emulate(driver)
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            for name, path in HANDOUTS.items():
                driver.get(url + path)
                for paper, (width, height) in PAPER.items():
                    options = PrintOptions()
                    options.page_width, options.page_height = width, height
                    options.background = False  # what a browser prints by default
                    pdf = workdir / f"{name}-{paper}.pdf"
                    pdf.write_bytes(base64.b64decode(driver.print_page(options)))
                    shutil.copy(pdf, target / pdf.name)
                    pictures = str(target / f"{name}-{paper}")
                    subprocess.run(["pdftoppm", "-png", "-r", "72", str(pdf), pictures], check=True)
                    written += len(list(target.glob(f"{name}-{paper}-*.png")))
    finally:
        driver.quit()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{written} pictures of {len(paths)} pages and 2 handouts in {target}")


if __name__ == "__main__":
    main()
