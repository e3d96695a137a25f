"""The systemd units of deploy/: valid for systemd, and as locked down as the README says."""

import re
import shutil
import subprocess

import pytest

from tests.deploy.servers import DEPLOY, moved, require

UNITS = ["botox-info.service", "botox-info-purge-feedback.service", "botox-info-purge-feedback.timer"]


def settings_of(unit):
    """{key: [values]} of a unit file."""
    found = {}
    for key, value in re.findall(r"^(\w+)=(.*)$", (DEPLOY / unit).read_text(), re.MULTILINE):
        found.setdefault(key, []).append(value)
    return found


@pytest.mark.server
def test_systemd_accepts_every_unit(tmp_path):
    require("systemd-analyze")
    for unit in UNITS:  # the code's paths moved to this checkout, so that ExecStart names a real program
        (tmp_path / unit).write_text(moved((DEPLOY / unit).read_text(), tmp_path))
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / unit) for unit in UNITS)], capture_output=True, text=True
    )
    # Unknown keys and bad values are only warnings to systemd: any line about our units fails too.
    ours = [line for line in (result.stdout + result.stderr).splitlines() if any(unit in line for unit in UNITS)]
    assert result.returncode == 0 and not ours, result.stdout + result.stderr


def test_systemd_verify_finds_a_mistake(tmp_path):
    """The check above can fail: a misspelt key is reported."""
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    text = moved((DEPLOY / "botox-info.service").read_text(), tmp_path).replace("NoNewPrivileges=", "NoNewPrivilege=")
    (tmp_path / "botox-info.service").write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "botox-info.service")], capture_output=True, text=True
    )
    assert "Unknown key 'NoNewPrivilege'" in result.stderr


@pytest.mark.parametrize("unit", ["botox-info.service", "botox-info-purge-feedback.service"])
def test_services_run_locked_down_as_an_ordinary_user(unit):
    service = settings_of(unit)
    assert service["User"] == ["botox-info"] and service["Group"] == ["botox-info"]
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "PrivateTmp": "yes",
        "ProtectHome": "yes",
        "PrivateDevices": "yes",
        "RestrictSUIDSGID": "yes",
        "CapabilityBoundingSet": "",
    }.items():
        assert service[key] == [value], key
    assert service["ReadWritePaths"] == ["/var/lib/botox-info"], "the database only: the releases stay read-only"


def test_gunicorn_writes_its_pid_file_in_its_own_runtime_folder():
    """Not among the releases, which the service only reads (a fresh helper's hostile review of deploy/)."""
    service = settings_of("botox-info.service")
    assert service["RuntimeDirectory"] == ["botox-info"] and service["RuntimeDirectoryMode"] == ["0750"]
    assert "GUNICORN_PIDFILE=/run/botox-info/gunicorn.pid" in service["Environment"]


def test_gunicorn_restarts_on_failure_and_reloads_on_sighup():
    service = settings_of("botox-info.service")
    assert service["Restart"] == ["on-failure"]
    assert service["ExecReload"] == ["/bin/kill -HUP $MAINPID"]
    assert service["ExecStart"] == ["/srv/botox-info/app/.venv/bin/gunicorn --config gunicorn.conf.py"]


def test_the_timer_runs_the_feedback_clean_up_daily():
    timer = settings_of("botox-info-purge-feedback.timer")
    assert timer["OnCalendar"] == ["daily"] and timer["Persistent"] == ["true"]
    service = settings_of("botox-info-purge-feedback.service")
    assert service["Type"] == ["oneshot"]
    assert service["ExecStart"][0].endswith("manage.py purge_feedback")
