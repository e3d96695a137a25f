"""The production setup of deploy/, run on this machine: the unit's gunicorn and the nginx site, in a temp folder.

The systemd unit's own command and environment start gunicorn (its paths moved into
the temporary folder, its port a free one); `manage.py nginx_site` writes the nginx
site, which runs inside a minimal nginx.conf, as an ordinary user (nobody) when the
tests run as root. Everything started is stopped by its pid.
"""

import contextlib
import os
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from scripts.harness import ROOT, VENV_BIN, production_environment, wait_until_up

DEPLOY = ROOT / "deploy"
APP, RELEASES, STATE, RUN = "/srv/botox-info/app", "/srv/botox-info/releases", "/var/lib/botox-info", "/run/botox-info"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def free_ports(count):
    """`count` free ports on 127.0.0.1, from TEST_PORTS (e.g. 18500-18599) when set, else any."""
    first, _, last = os.environ.get("TEST_PORTS", "0-0").partition("-")
    candidates = range(int(first), int(last or first) + 1) if first != "0" else [0] * count
    with contextlib.ExitStack() as held:  # each stays bound until all are found, so none is given twice
        found = []
        for port in candidates:
            probe = held.enter_context(socket.socket())
            with contextlib.suppress(OSError):
                probe.bind(("127.0.0.1", port))
                found.append(probe.getsockname()[1])
                if len(found) == count:
                    return found
    raise RuntimeError(f"not {count} free ports in TEST_PORTS={os.environ.get('TEST_PORTS')}")


def require(program):
    if shutil.which(program):
        return
    if os.environ.get("CI"):
        pytest.fail(f"{program} is not installed: .ci/run installs it")
    pytest.skip(f"{program} is not installed: the production setup is not checked")


def moved(text, workdir):
    """A deploy/ file with its server paths moved into `workdir` (the code stays where it is)."""
    text = text.replace(APP, str(ROOT)).replace(RELEASES, str(workdir / "releases")).replace(STATE, str(workdir / "db"))
    return text.replace(RUN, str(workdir / "run"))


def unit_command(unit, workdir, port):
    """(argv, environment, [argv of each ExecStartPre]) of the unit's ExecStart, as systemd would run it,
    on `port`."""
    text = moved((DEPLOY / unit).read_text(), workdir)
    environment = production_environment(port)  # what /etc/botox-info/env holds on a server...
    example = moved((DEPLOY / "env.example").read_text(), workdir)
    environment["DATABASE_URL"] = re.search(r"^DATABASE_URL=(.*)$", example, re.MULTILINE)[1]  # ...its database
    for line in re.findall(r"^Environment=(.*)$", text, re.MULTILINE):
        environment.update(item.split("=", 1) for item in shlex.split(line))
    environment["PORT"] = str(port)
    environment.pop("NOTIFY_SOCKET", None)
    for name in re.findall(r"^RuntimeDirectory=(.*)$", text, re.MULTILINE):  # made by systemd as it starts
        assert name == Path(RUN).name, f"RuntimeDirectory={name}: this harness makes {RUN} only"
        mode = re.search(r"^RuntimeDirectoryMode=(\d+)$", text, re.MULTILINE)
        (workdir / "run").mkdir(exist_ok=True)
        (workdir / "run").chmod(int(mode[1], 8) if mode else 0o755)  # systemd's default is 0755
    command = shlex.split(re.search(r"^ExecStart=(.*)$", text, re.MULTILINE)[1])
    before = [shlex.split(line) for line in re.findall(r"^ExecStartPre=(.*)$", text, re.MULTILINE)]
    return command, environment, before


def workfolder():
    """A temporary folder that nginx's ordinary user can read (pytest's own are private to root)."""
    workdir = Path(tempfile.mkdtemp(prefix="deploy-test-"))
    workdir.chmod(0o755)
    return workdir


def publish(environment):
    command = [str(VENV_BIN / "python"), "manage.py", "publish"]
    subprocess.run(command, cwd=ROOT, env=environment, check=True, capture_output=True)


@contextlib.contextmanager
def process(command, log, **options):
    """Run `command` until the block ends, then stop it (and its children) by its pid."""
    with open(log, "w") as output:
        started = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True, **options)
    try:
        yield started
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(started.pid, 15)
        try:
            started.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(started.pid, 9)
            started.wait()


def nginx_conf(workdir, site):
    """A whole nginx.conf around the site, with everything nginx writes inside `workdir`/nginx."""
    folder = workdir / "nginx"
    module = f"load_module {BROTLI_MODULE};\n" if BROTLI_MODULE.exists() else ""
    return f"""{module}worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
    gzip on;  # as Debian's nginx.conf has it, for every site
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""


@contextlib.contextmanager
def production_setup(proxy=None, https=False):
    """Publish the real content, start the unit's gunicorn and the nginx site; yield (nginx url, gunicorn url, workdir).
    `proxy`: the address of a balancer in front (nginx_site --proxy); `https`: the settings' DJANGO_HTTPS."""
    require("nginx")
    workdir = workfolder()
    try:
        gunicorn_port, nginx_port = free_ports(2)
        command, environment, before = unit_command("botox-info.service", workdir, gunicorn_port)
        environment["DJANGO_HTTPS"] = str(https).lower()
        (workdir / "db").mkdir()
        publish(environment)
        for step in before:  # as systemd does before each start
            subprocess.run(step, cwd=ROOT, env=environment, check=True, capture_output=True)
        site = subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", "nginx_site", f"--upstream=127.0.0.1:{gunicorn_port}"]
            + [f"--listen=127.0.0.1:{nginx_port}", f"--releases={workdir / 'releases'}"]
            + ([f"--proxy={proxy}"] if proxy else []),
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        folder = workdir / "nginx"
        folder.mkdir()
        (folder / "site.conf").write_text(site)
        (folder / "nginx.conf").write_text(nginx_conf(workdir, site))
        nginx = ["nginx", "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(folder / "nginx.conf")]
        nginx += ["-g", "daemon off;"]
        if os.geteuid() == 0:  # as a server runs it: never as root
            shutil.chown(folder, "nobody", "nogroup")
            nginx = ["runuser", "-u", "nobody", "--", *nginx]
        with (
            process(command, workdir / "gunicorn.log", cwd=ROOT, env=environment) as gunicorn,
            process(nginx, workdir / "nginx.log") as server,
        ):
            nginx_url, gunicorn_url = f"http://127.0.0.1:{nginx_port}", f"http://127.0.0.1:{gunicorn_port}"
            for url, started, log in ((gunicorn_url, gunicorn, "gunicorn.log"), (nginx_url, server, "nginx.log")):
                try:
                    wait_until_up(url + "/healthz", started, name=log)
                except RuntimeError as error:
                    pytest.fail(f"{error}: {(workdir / log).read_text()[-3000:]}")
            yield nginx_url, gunicorn_url, workdir
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
