"""The feedback form and its target, through the whole site (ReleaseMiddleware first), on SQLite."""

import csv
import datetime
import io
import json
import time
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from feedback.admin import spreadsheet_safe
from feedback.models import Feedback
from tests.html_checks import Elements
from tests.site_pages import GUIDE_PAGES

PAGE = "/botox-jaw-pain/benefits/"
FORM = "application/x-www-form-urlencoded"
SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "null"}  # what Chromium sends from the site's pages


def post(client, fields, **headers):
    """The form as a browser sends it: URL-encoded."""
    return client.post("/feedback/", urlencode(fields), "application/x-www-form-urlencoded", **headers)


def send(client, **fields):
    return post(client, {"page": PAGE, **fields}, **SAME_SITE)


def test_every_guide_page_ends_with_the_form(client):
    for address in GUIDE_PAGES:
        text = client.get(address).text
        form = text.index('<form method="post" action="/feedback/"')
        assert text.index("Talk to a professional") < form < text.index('<footer class="site-footer">'), address
        assert f'<input type="hidden" name="page" value="{address}">' in text
    text = client.get(PAGE).text
    for words in ("Was this page helpful?", "What was missing or wrong?", "Report a problem with this page"):
        assert words in text
    assert "do not write your name, contact details or anything about your health" in text
    fields = {attrs.get("name"): attrs for tag, attrs in Elements(text).found if tag in {"input", "textarea"}}
    assert fields["comment"]["maxlength"] == "1000"
    assert {"helpful", "page", "website"} <= set(fields)


@pytest.mark.django_db
def test_an_answer_is_stored_and_the_thank_you_page_links_back(client):
    response = send(client, helpful="no", comment="  It did not say how much it costs.\r\n")
    assert response.status_code == 303
    assert response["Location"] == "/feedback/thanks" + PAGE
    assert "Set-Cookie" not in response.headers
    stored = Feedback.objects.get()
    assert (stored.page, stored.helpful, stored.comment) == (PAGE, False, "It did not say how much it costs.")
    assert stored.created == datetime.date.today()
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "Set-Cookie" not in thanks.headers
    assert "Thank you for your feedback" in thanks.text
    assert f'href="{PAGE}">Back to “Benefits”' in thanks.text
    assert "no-store" in thanks["Cache-Control"]
    assert "frame-ancestors 'none'" in thanks["Content-Security-Policy"]


@pytest.mark.django_db
def test_yes_alone_and_a_problem_reported_alone_are_kept(client):
    assert send(client, helpful="yes").status_code == 303
    assert send(client, comment="The diagram has no labels.").status_code == 303
    stored = {item.comment: item.helpful for item in Feedback.objects.all()}
    assert stored == {"": True, "The diagram has no labels.": None}


REFUSED = {
    "cross-site Origin": (403, {"HTTP_ORIGIN": "https://evil.example"}, {"helpful": "yes"}),
    "cross-site Sec-Fetch-Site": (403, {"HTTP_SEC_FETCH_SITE": "cross-site"}, {"helpful": "yes"}),
    "Origin null without Sec-Fetch-Site": (403, {"HTTP_ORIGIN": "null"}, {"helpful": "yes"}),
    "unknown page": (400, SAME_SITE, {"helpful": "yes", "page": "/botox-jaw-pain/no-such-page/"}),
    "a page that is not a guide page": (400, SAME_SITE, {"helpful": "yes", "page": "/privacy/"}),
    "honeypot filled in": (400, SAME_SITE, {"helpful": "yes", "website": "http://spam.example"}),
    "nothing said": (400, SAME_SITE, {"comment": "   "}),
    "odd answer": (400, SAME_SITE, {"helpful": "maybe"}),
    "comment over 1,000 characters": (400, SAME_SITE, {"helpful": "no", "comment": "x" * 1001}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", REFUSED, ids=REFUSED)
def test_refusals_are_clear_pages_and_store_nothing(client, case):
    status, headers, fields = REFUSED[case]
    response = post(client, {"page": PAGE, **fields}, **headers)
    assert response.status_code == status
    assert "Your feedback was not sent" in response.text and '<footer class="site-footer">' in response.text
    assert "Set-Cookie" not in response.headers
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_a_big_body_gets_413_before_it_is_read(client):
    response = client.post(
        "/feedback/", f"page={PAGE}&helpful=no&comment={'x' * 100_000}", "application/x-www-form-urlencoded"
    )
    assert response.status_code == 413 and "too long" in response.text
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_get_and_other_methods_get_405_and_unknown_addresses_404(client):
    response = client.get("/feedback/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "Your feedback was not sent" in response.text
    missing = client.get("/feedback/no-such-thing/")
    assert missing.status_code == 404 and "Page not found" in missing.text
    assert client.get("/feedback/thanks/privacy/").status_code == 404
    # Every other address still refuses a POST, as before.
    assert client.post(PAGE).status_code == 405


@pytest.mark.django_db
def test_hostile_text_is_stored_clean(client):
    comment = '<script>alert(1)</script>\x00 =HYPERLINK("http://evil.example")\u202egnp.exe\u2066 ok\x07'
    assert send(client, helpful="no", comment=comment).status_code == 303
    stored = Feedback.objects.get().comment
    assert stored == '<script>alert(1)</script> =HYPERLINK("http://evil.example")gnp.exe ok'


@pytest.mark.django_db
def test_invalid_utf8_is_stored_as_replacement_characters(client):
    body = b"page=" + PAGE.encode() + b"&helpful=no&comment=caf%C3%A9+%FF%FE+end"
    response = client.post("/feedback/", body, "application/x-www-form-urlencoded", **SAME_SITE)
    assert response.status_code == 303
    assert Feedback.objects.get().comment == "café \ufffd\ufffd end"


@pytest.mark.django_db
@override_settings(FEEDBACK_RATE_LIMIT=3)
def test_too_many_posts_in_a_minute_get_429(client):
    assert [send(client, helpful="yes").status_code for _ in range(5)] == [303, 303, 303, 429, 429]
    assert Feedback.objects.count() == 3
    assert "wait a minute" in send(client, helpful="yes").text
    # Another client is not held back.
    assert post(client, {"page": PAGE, "helpful": "yes"}, REMOTE_ADDR="192.0.2.7").status_code == 303


def test_formula_cells_are_neutralised():
    for value in ('=HYPERLINK("http://evil.example")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert spreadsheet_safe(value) == "'" + value
    assert spreadsheet_safe("Fine text") == "Fine text"


@pytest.fixture
def staff(db, client):
    from django.contrib.auth.models import User

    User.objects.create_superuser("editor", "editor@example.org", "a long staff password 7")
    staff_client = Client()
    staff_client.force_login(User.objects.get(username="editor"))
    return staff_client


def test_the_admin_shows_counts_and_comments_as_text(client, staff):
    send(client, helpful="no", comment='<b>bold</b> =HYPERLINK("x")')
    send(client, helpful="yes")
    send(client, helpful="yes")
    response = staff.get("/admin/feedback/feedback/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in text and "<b>bold</b>" not in text
    assert f"<td>{PAGE}</td><td>2</td><td>1</td><td>67%</td><td>1</td>" in text
    filtered = staff.get("/admin/feedback/feedback/", {"helpful__exact": "1"}).content.decode()
    assert f"<td>{PAGE}</td><td>2</td><td>0</td><td>100%</td><td>0</td>" in filtered
    export = staff.post(
        "/admin/feedback/feedback/",
        {"action": "export_csv", "_selected_action": [str(pk) for pk in Feedback.objects.values_list("pk", flat=True)]},
    )
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0] == ["date", "page", "helpful", "comment"]
    assert [row[3] for row in rows[1:] if row[3]] == ['<b>bold</b> =HYPERLINK("x")']
    assert sorted(row[2] for row in rows[1:]) == ["no", "yes", "yes"]


@pytest.mark.django_db
def test_formula_comment_is_neutralised_in_the_export(client, staff):
    send(client, helpful="no", comment='=HYPERLINK("http://evil.example","Click")')
    export = staff.post(
        "/admin/feedback/feedback/", {"action": "export_csv", "_selected_action": [Feedback.objects.get().pk]}
    )
    assert list(csv.reader(io.StringIO(export.content.decode())))[1][3] == '\'=HYPERLINK("http://evil.example","Click")'


def test_the_admins_own_styles_are_served_and_a_missing_one_is_not_found():
    response = Client().get("/static/admin/css/base.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css") and "max-age=3600" in response["Cache-Control"]
    assert b"--primary" in b"".join(response.streaming_content)
    assert Client().get("/static/admin/css/no-such-file.css").status_code == 404


@pytest.mark.django_db
def test_the_admin_is_for_staff_only(client):
    response = Client().get("/admin/feedback/feedback/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    login = Client().get("/admin/login/")
    assert login.status_code == 200
    cookie = login.cookies["csrftoken"]
    assert cookie["path"] == "/admin/" and cookie["samesite"] == "Strict"
    assert login["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_feedback_report_prints_each_pages_counts(client):
    send(client, helpful="no", comment="Too long.")
    send(client, helpful="yes")
    send(client, helpful="yes")
    out = io.StringIO()
    call_command("feedback_report", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["Page", "Helpful", "Not", "helpful", "Share", "helpful", "Comments"]
    assert lines[1].split() == [PAGE, "2", "1", "67%", "1"]
    assert "3 Yes/No answers on 1 page: 67% helpful." in out.getvalue()


@pytest.mark.django_db
def test_purge_feedback_deletes_what_is_older_than_the_retention(settings):
    settings.FEEDBACK_RETENTION_DAYS = 365
    today = datetime.date.today()
    for days in (0, 365, 366, 800):
        Feedback.objects.create(page=PAGE, helpful=True, created=today - datetime.timedelta(days=days))
    out = io.StringIO()
    call_command("purge_feedback", stdout=out)
    assert sorted((today - item.created).days for item in Feedback.objects.all()) == [0, 365]
    assert out.getvalue().startswith("Deleted 2 answers from before")


def test_purge_feedback_also_deletes_the_rate_limits_past_minutes(db, monkeypatch):
    """Each post clears them; the last minutes before the posts stopped had stayed, with their time (helper-55)."""
    from feedback import ratelimit
    from feedback.models import RateBucket

    moment = time.time()
    monkeypatch.setattr(ratelimit.time, "time", lambda: moment)  # the same minute for the test and the command
    now = int(moment // 60)
    for minute in (now - 60, now - 2, now - 1, now):
        RateBucket.objects.create(bucket=f"{minute}:x", minute=minute, count=3)
    call_command("purge_feedback", stdout=io.StringIO())
    assert sorted(RateBucket.objects.values_list("minute", flat=True)) == [now - 1, now]


def test_privacy_page_says_what_is_kept_and_for_how_long(client):
    text = client.get("/privacy/").text
    assert (
        "We keep exactly four things: the page, your Yes or No answer, your comment (if you wrote one) and the date."
        in text
    )
    assert "Each answer is deleted after 12 months." in text
    assert "With your answer, we do not keep your network address, your browser details, the time of day" in text
    # The server's record of the post and its thank-you page can be matched with an answer (helper-55).
    assert "could work out which network address sent an answer." in text


def test_the_retention_is_said_in_plain_words():
    from articles.publish.site import retention_text

    assert [retention_text(days) for days in (365, 730, 30, 90, 10, 1)] == [
        "12 months",
        "24 months",
        "1 month",
        "3 months",
        "10 days",
        "1 day",
    ]


@pytest.mark.django_db
def test_a_multipart_post_is_refused(client):
    response = client.post("/feedback/", {"page": PAGE, "helpful": "yes"}, **SAME_SITE)
    assert response.status_code == 400 and not Feedback.objects.exists()


@pytest.mark.django_db
def test_make_report_adds_each_pages_share_of_helpful(client, guide):
    guide.page("index", title="Start here")
    guide.page("second", title="Second page", order=2)
    for helpful in ("yes", "yes", "yes", "no"):
        Feedback.objects.create(page="/test-guide/", helpful=helpful == "yes")
    out = io.StringIO()
    call_command("content_report", stdout=out)
    text = out.getvalue()
    assert '"Was this page helpful?"' in text
    assert "  Start here  75% helpful, of 4" in text
    assert "Second page  " not in text.split('"Was this page helpful?"')[1]
    out = io.StringIO()
    call_command("content_report", "--format", "json", stdout=out)
    data = json.loads(out.getvalue()[: out.getvalue().rindex("}") + 1])
    assert [page["helpful_share"] for page in data["pages"]] == [0.75, None]


@pytest.mark.django_db
def test_the_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_before_a_release_with_the_form_the_answer_is_a_4xx_not_a_5xx(settings, tmp_path):
    settings.RELEASES_DIR = tmp_path / "nothing-published"
    response = Client().post("/feedback/", urlencode({"page": PAGE, "helpful": "yes"}), FORM, **SAME_SITE)
    assert response.status_code == 400 and b"until it is published again" in response.content


@pytest.mark.parametrize(
    ("trusted", "remote", "expected"),
    [
        (["127.0.0.0/8"], "127.0.0.2", "203.0.113.9"),  # a network, as gunicorn's FORWARDED_ALLOW_IPS takes it
        (["*"], "10.1.2.3", "203.0.113.9"),
        (["127.0.0.1"], "127.0.0.1", "203.0.113.9"),
        (["127.0.0.1"], "127.0.0.2", "127.0.0.2"),  # not the trusted proxy: its own address
        (["not-an-address"], "127.0.0.1", "127.0.0.1"),  # a mistake in the setting trusts no one
        ([], "2001:db8::1", "2001:db8::/64"),
        ([], "::ffff:198.51.100.7", "198.51.100.7"),  # IPv4 on a server listening on "::": its own count
        (["127.0.0.1"], "127.0.0.1", "127.0.0.1"),  # forwarded "203.0.113.9:5678" below: not an address
    ],
)
def test_a_trusted_proxy_passes_on_each_visitors_address_for_the_rate_limit(settings, trusted, remote, expected):
    """With 127.0.0.0/8 or *, every visitor behind nginx had counted as the proxy: one used up everyone's
    share, and five wrong passwords locked every staff member out (helper-55)."""
    from django.test import RequestFactory

    from feedback.ratelimit import client_address

    settings.FEEDBACK_TRUSTED_PROXIES = trusted
    forwarded = "198.51.100.1, 203.0.113.9:5678" if expected == remote == "127.0.0.1" else "198.51.100.1, 203.0.113.9"
    request = RequestFactory().post("/feedback/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.mark.parametrize("remote", ["2001:db8::1", "192.0.2.7"])
def test_the_login_throttle_gets_an_address_a_database_can_store(settings, remote):
    """django-axes stores it in an address field: PostgreSQL refused the IPv6 /64 the rate limit counts
    under, and every staff login over IPv6 was a 500 (helper-55)."""
    from django.core.validators import validate_ipv46_address
    from django.test import RequestFactory
    from django.utils.module_loading import import_string

    address = import_string(settings.AXES_CLIENT_IP_CALLABLE)(
        RequestFactory().post("/admin/login/", REMOTE_ADDR=remote)
    )
    validate_ipv46_address(address)
    assert address == remote


def test_the_page_of_an_answer_has_no_length_for_postgresql_to_refuse():
    """Publishing sets no limit on an address, and PostgreSQL enforces a field's (SQLite does not, so this
    checks the field): a post about a page 225 characters long was a 500 there (helper-55)."""
    assert Feedback._meta.get_field("page").max_length is None


@pytest.mark.django_db
def test_every_invisible_character_is_removed_and_a_formula_behind_one_is_caught(client, staff):
    """Soft hyphens, invisible operators, tag characters (hidden text), private and unassigned code points
    and Hangul fillers had been kept, and '\\xad=1+1' reached the CSV as a formula (helper-55)."""
    hidden = "\xad=1+1 a\u2062b\U000e0041\U000e0042 x\u3164y\ue000\ufdd0 line\u2028next \u200d\u200c"
    assert send(client, helpful="no", comment=hidden).status_code == 303
    stored = Feedback.objects.get()
    assert stored.comment == "=1+1 ab xy line\nnext \u200d\u200c"  # the joiners some scripts need stay
    export = staff.post("/admin/feedback/feedback/", {"action": "export_csv", "_selected_action": [stored.pk]})
    assert list(csv.reader(io.StringIO(export.content.decode())))[1][3] == "'=1+1 ab xy line\nnext \u200d\u200c"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("&".join(f"f{number}=x" for number in range(1500)), "application/x-www-form-urlencoded"),
        ("page=%2F&helpful=yes", "application/x-www-form-urlencoded; charset=utf-16"),
    ],
    ids=["1500-fields", "utf-16"],
)
def test_a_form_django_cannot_read_gets_the_sites_400_page(client, body, content_type):
    """Django's plain "Bad Request (400)" had answered these, with a traceback in the log (helper-55)."""
    response = client.post(
        "/feedback/", body.encode(), content_type=content_type, HTTP_ORIGIN="https://guide.example.org"
    )
    assert response.status_code == 400
    assert "<h1>" in response.content.decode() and "no-store" in response["Cache-Control"]


def test_an_answer_past_its_keeping_time_is_shown_nowhere_before_it_is_purged(client, staff, settings):
    """The daily purge deletes it; until it runs (a missed day, a laptop where nothing runs it), the report
    and the admin had still shown it (helper-55)."""
    settings.FEEDBACK_RETENTION_DAYS = 365
    today = datetime.date.today()
    Feedback.objects.create(page=PAGE, helpful=False, comment="Kept.", created=today - datetime.timedelta(days=365))
    Feedback.objects.create(page=PAGE, helpful=True, comment="Too old.", created=today - datetime.timedelta(days=366))
    out = io.StringIO()
    call_command("feedback_report", stdout=out)
    assert out.getvalue().splitlines()[1].split() == [PAGE, "0", "1", "0%", "1"]
    listed = staff.get("/admin/feedback/feedback/").content.decode()
    assert "Kept." in listed and "Too old." not in listed


@pytest.mark.parametrize(
    "query", ["created__year=99999999999", "page=%00", "q=a%00b", "page__regex=(", "page__iregex=["]
)
def test_a_list_filter_the_admin_cannot_take_is_its_error_page_not_a_500(staff, query, monkeypatch):
    """A year past 9999 raised OverflowError; a NUL or a bad regular expression makes PostgreSQL refuse the
    query (helpers 55, 57). SQLite takes those, so the test checks that no query is made for them."""
    from django.contrib import admin

    if not query.startswith("created__year"):
        monkeypatch.setattr(admin.ModelAdmin, "changelist_view", lambda *_: pytest.fail("the list was queried"))
    staff.raise_request_exception = False
    response = staff.get(f"/admin/feedback/feedback/?{query}")
    monkeypatch.undo()
    assert (response.status_code, response["Location"]) == (302, "/admin/feedback/feedback/?e=1")
    assert staff.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "text",
    [
        "My eyes \U0001fae9",  # an emoji newer than this Python's Unicode (16.0): unassigned to it
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland's flag",
        "\U0001f469\u200d\u2695\ufe0f a health worker",  # a ZWJ sequence with its variation selector
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian needs the non-joiner
        "\u0600\u0661\u0662 an Arabic number sign",
        "\u1821\u180e\u1820 Mongolian",
    ],
)
def test_what_patients_write_in_emoji_and_other_scripts_is_kept(text):
    """clean() had stripped new emoji, the tags of England's and Scotland's flags and the format
    characters some scripts need (helper-57)."""
    from feedback.text import clean

    assert clean(text) == text
