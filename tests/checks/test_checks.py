"""`manage.py check` passes on the real content and fails, clearly, on a bad file."""

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import SystemCheckError


def test_real_content_passes(capsys):
    call_command("check")
    assert "System check identified no issues" in capsys.readouterr().out


def test_bad_file_fails_check_naming_file_line_and_field(guide):
    guide.page("index")
    guide.page("benefits", order=2, next_review_due="2026-13-01")
    with pytest.raises(SystemCheckError) as caught:
        call_command("check")
    assert (
        "content/test-guide/benefits.md, line 5: 'next_review_due' is not a date (got '2026-13-01'); use YYYY-MM-DD."
        in str(caught.value)
    )


def test_unsafe_body_fails_check(guide):
    guide.page("index", body="Hi\n\n<script>alert(1)</script>\n")
    with pytest.raises(SystemCheckError) as caught:
        call_command("check")
    assert "content/test-guide/index.md, line 9: contains raw HTML" in str(caught.value)


def test_empty_content_folder_fails_check(settings, tmp_path):
    settings.CONTENT_DIR = tmp_path
    with pytest.raises(SystemCheckError) as caught:
        call_command("check")
    assert ": has no guide in it; add a folder with a guide.yaml and its pages." in str(caught.value)


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["purge_feedback", "feedback_report"])
def test_a_content_mistake_does_not_stop_the_feedback_commands(guide, command):
    """The daily clean-up stopped at the system check while a half-finished edit sat in the content folder,
    and kept answers past the time the privacy page promises."""
    guide.page("index", next_review_due="2026-13-01")
    with pytest.raises(SystemCheckError):
        call_command("check")
    # As `manage.py COMMAND` runs it: the system checks first, unless the command needs none.
    load_command_class("feedback", command).run_from_argv(["manage.py", command])
