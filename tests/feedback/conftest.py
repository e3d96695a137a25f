"""A real PostgreSQL for the feedback tests: started in a temporary folder, stopped after. Never a mock.

Each pytest-xdist worker starts its own (its own folder and free port). Tests run as
root here, and PostgreSQL refuses root, so the server runs as `nobody` then.
Without PostgreSQL the tests are skipped, except in CI (CI set), where they fail:
.ci/run installs it.
"""

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from scripts.harness import free_port

INSTALL_HINT = "apt-get install postgresql (Debian's package; .ci/run installs it)"


def postgresql_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def require_postgresql():
    if postgresql_bin() is None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not installed: {INSTALL_HINT}")
        pytest.skip(f"PostgreSQL is not installed: {INSTALL_HINT}")
    return postgresql_bin()


@contextlib.contextmanager
def running_postgresql(bin_dir):
    """Yield the DATABASE_URL of a fresh PostgreSQL; stop it and delete its folder after."""
    folder = Path(tempfile.mkdtemp(prefix="feedback-pg-"))
    as_user = []
    if os.geteuid() == 0:
        shutil.chown(folder, "nobody", "nogroup")
        as_user = ["runuser", "-u", "nobody", "--"]
    data, port = folder / "data", free_port()

    def run(*command):
        subprocess.run([*as_user, *command], check=True, capture_output=True, text=True, cwd=folder)

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync")
    options = f"-k {folder} -c listen_addresses=127.0.0.1 -p {port} -c fsync=off"
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        time.sleep(0.1)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgresql_url():
    with running_postgresql(require_postgresql()) as url:
        yield url
