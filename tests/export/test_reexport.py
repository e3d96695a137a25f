"""Re-exporting into the folder a running nginx serves: switched in one step, never a missing file.

Before, the export deleted DIR/public and copied the release in again: 78 page and
174 asset 404s during 12 re-exports under load.
"""

import contextlib
import http.client
import os
import re
import socket
import threading

import pytest

from articles.export.export import export_site
from articles.publish.publishing import publish
from tests.export.test_nginx_parity import require_nginx, running_nginx

pytestmark = pytest.mark.server  # starts nginx

MY_PORTS = range(18150, 18200)  # this project's ports for test servers


def port_in_range():
    for port in MY_PORTS:
        with socket.socket() as probe, contextlib.suppress(OSError):
            probe.bind(("127.0.0.1", port))
            return port
    raise AssertionError("no free port in 18150-18199")


def get(host, path, encoding="gzip"):
    connection = http.client.HTTPConnection(host, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": encoding})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_re_exporting_under_load_never_serves_a_missing_file(guide, settings, tmp_path):
    require_nginx()
    guide.page("index", title="Version 0")
    guide.page("results", order=2)
    publish()
    target, port = tmp_path / "export", port_in_range()
    export_site(target, port=port)
    assert (target / "public").is_symlink()
    with running_nginx(target, port) as host:
        page = get(host, "/test-guide/", "identity")[1].decode()
        paths = ["/", "/test-guide/", "/test-guide/results/", "/sitemap.xml", "/robots.txt"]
        paths += re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
        assert len(paths) > 6, paths
        stop, answers = threading.Event(), []

        def visit():
            while not stop.is_set():
                for path in paths:
                    answers.append((path, get(host, path)[0]))

        visitors = [threading.Thread(target=visit) for _ in range(3)]
        for visitor in visitors:
            visitor.start()
        try:
            for _ in range(12):
                export_site(target, port=port)
        finally:
            stop.set()
            for visitor in visitors:
                visitor.join(timeout=30)
        failed = [(path, status) for path, status in answers if status != 200]
        assert len(answers) > 50
        assert not failed, failed[:10]
    exports = os.listdir(target / "releases")
    assert len(exports) == 3, exports  # old exports are cleared, the newest few kept
