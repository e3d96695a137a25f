"""`make serve`'s gunicorn (gunicorn.conf.py, no proxy in front) keeps answering while slow clients hold connections."""

import shutil

import pytest

from scripts.harness import gunicorn, production_environment
from scripts.slow_clients import SlowClients, timed_get
from tests.deploy.servers import free_ports, publish, workfolder

pytestmark = pytest.mark.server


def test_50_slow_clients_on_gunicorn_leave_the_site_answering():
    workdir = workfolder()
    try:
        (port,) = free_ports(1)
        environment = production_environment(port, RELEASES_DIR=workdir / "releases", GUNICORN_PIDFILE=workdir / "pid")
        publish(environment)
        with gunicorn(environment, workdir / "gunicorn.log"), SlowClients(port, 50, seconds=20) as clients:
            for path in ("/", "/botox-jaw-pain/benefits/", "/healthz"):
                status, _ = timed_get(port, path, timeout=1.0)
                assert status == 200
            assert clients.still_open() == 50  # they were still holding their connections
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
