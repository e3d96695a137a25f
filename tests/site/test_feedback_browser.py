"""A patient answers "Was this page helpful?" in Chromium, with and without JavaScript; an editor reads it.

A real gunicorn (production settings) over a fresh publish and a fresh SQLite
database, as `make serve` makes on a fresh clone. No patient page, the answer
included, leaves a cookie in the browser.
"""

import pytest
from selenium.webdriver.common.by import By

from scripts.harness import free_port, gunicorn, production_environment
from tests.browser import emulate, require_chromium, start_chromium
from tests.forked import Forked, manage_py

pytestmark = [pytest.mark.browser, pytest.mark.server]

PAGE = "/botox-jaw-pain/side-effects/"
STAFF_PASSWORD = "a long staff password 7"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    require_chromium()
    workdir = tmp_path_factory.mktemp("feedback-browser")
    environment = production_environment(
        free_port(),
        RELEASES_DIR=workdir / "releases",
        GUNICORN_PIDFILE=workdir / "gunicorn.pid",
        SQLITE_PATH=workdir / "db.sqlite3",
        WEB_CONCURRENCY=2,
        DJANGO_SUPERUSER_PASSWORD=STAFF_PASSWORD,
    )
    environment.pop("DATABASE_URL", None)

    def manage(*arguments):
        return manage_py(*arguments, environment=environment, check=True).stdout

    # Publishing and setting up the database do not touch each other's files: both at once.
    publishing = Forked("publish", environment=environment)
    try:
        manage("migrate", "--verbosity", "0")
        manage("createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.org")
    finally:
        code, out, err = publishing.finish()
        assert code == 0, out + err
    with gunicorn(environment, workdir / "gunicorn.log") as (url, _):
        yield url, manage


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def chromium(request):
    driver = start_chromium(javascript=request.param)
    emulate(driver, prefers_reduced_motion="reduce")  # no smooth scrolling under Selenium's clicks
    yield driver
    driver.quit()


def test_a_patient_says_no_with_a_comment_and_an_editor_reads_it(app, chromium):
    from selenium.webdriver.support.wait import WebDriverWait  # here: a third of a second to import

    url, manage = app
    comment = f"The page did not say what to do if my eyelid droops ({chromium.session_id[:8]})."
    chromium.get(url + PAGE)
    chromium.find_element(By.CSS_SELECTOR, "input[name=helpful][value=no]").click()
    chromium.find_element(By.ID, "feedback-comment").send_keys(comment)
    chromium.find_element(By.CSS_SELECTOR, ".feedback button[type=submit]").click()

    # As with any click that sends a form, the answer may not have come when the click returns.
    WebDriverWait(chromium, 10).until(
        lambda driver: driver.current_url != url + PAGE, "the feedback post did not leave the page in 10 s"
    )
    assert chromium.current_url == url + "/feedback/thanks" + PAGE
    assert chromium.find_element(By.TAG_NAME, "h1").text == "Thank you for your feedback"
    back = chromium.find_element(By.LINK_TEXT, "Back to “Side effects and safety”")
    assert back.get_attribute("href") == url + PAGE
    assert chromium.get_cookies() == []  # nothing set by the page, the post or the thank-you page

    report = manage("feedback_report")
    assert any(line.split()[0] == PAGE and line.split()[2] != "0" for line in report.splitlines()[1:] if line.strip())

    chromium.get(url + "/admin/")
    chromium.find_element(By.ID, "id_username").send_keys("editor")
    chromium.find_element(By.ID, "id_password").send_keys(STAFF_PASSWORD)
    chromium.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    # The click returns before the login's answer has come: asking for another page now can be
    # overtaken by the login's redirect to the admin's index.
    WebDriverWait(chromium, 10).until(
        lambda driver: "/admin/login/" not in driver.current_url, "the staff login did not land in 10 s"
    )
    chromium.get(url + "/admin/feedback/feedback/")
    body = chromium.find_element(By.TAG_NAME, "body").text
    assert comment in body
    assert PAGE in chromium.find_element(By.CSS_SELECTOR, "table.feedback-counts").text
    cookies = chromium.get_cookies()
    assert cookies and all(cookie["path"] == "/admin/" for cookie in cookies)
    # The staff cookies stay under /admin/: a patient page in the same browser gets none.
    chromium.get(url + PAGE)
    assert chromium.execute_script("return document.cookie") == ""


def test_a_comment_sent_without_yes_or_no_is_taken(app):
    """'Report a problem with this page' leads to the comment box: a comment alone is an answer.
    Without JavaScript only: no script touches the form (the test above sends it both ways)."""
    from selenium.webdriver.support.wait import WebDriverWait

    url, _ = app
    chromium = start_chromium(javascript=False)
    try:
        emulate(chromium, prefers_reduced_motion="reduce")  # as the fixture above: no smooth scrolling
        chromium.get(url + PAGE)
        chromium.find_element(By.LINK_TEXT, "Report a problem with this page").click()
        chromium.find_element(By.ID, "feedback-comment").send_keys("Only a comment.")
        chromium.find_element(By.CSS_SELECTOR, ".feedback button[type=submit]").click()
        WebDriverWait(chromium, 10).until(lambda driver: "/feedback/thanks" in driver.current_url)
        assert chromium.find_element(By.TAG_NAME, "h1").text == "Thank you for your feedback"
    finally:
        chromium.quit()
