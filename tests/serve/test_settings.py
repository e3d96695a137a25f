"""Production settings refuse to start without their secrets; nothing unsafe by default."""

import os
import secrets

import pytest

from tests.forked import manage_py

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "botox_info.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "guide.example.org",
    "SITE_URL": "https://guide.example.org",
}


def manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update({key: value for key, value in env.items() if value is not None})
    return manage_py(*args, environment=environment)


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "SITE_URL"])
def test_production_stops_with_a_clear_message_when_a_variable_is_missing(missing):
    result = manage("check", **{**PRODUCTION, missing: None})
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_with_its_variables_passes_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_reads_each_content_file_in_a_child_whatever_the_environment():
    """Only the quick test run reads content in its own process (settings/test.py)."""
    code = "from django.conf import settings; print(settings.CONTENT_READ_IN_CHILDREN)"
    result = manage("shell", "--no-imports", "-c", code, QUICK_TESTS="1", **PRODUCTION)
    assert (result.returncode, result.stdout) == (0, "True\n"), result.stderr


def test_base_settings_are_safe_by_default():
    from botox_info.settings import base

    assert base.DEBUG is False
    assert not hasattr(base, "SECRET_KEY")
