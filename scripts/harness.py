"""Shared by `make bench` and `make loadtest`: a real gunicorn (or nginx) on 127.0.0.1, and wrk to load it.

Everything started here is stopped on exit, also on error or Ctrl-C.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


# The loop the README's and the notes' figures were read beside ("the loop"), at a script's top level.
LOOP = "total = 0\nfor number in range(20_000_000):\n    total += number\n"


def machine_speed():
    """A line saying how fast this machine is right now: the seconds of a fixed Python loop.

    The virtual machine this was written on runs the loop in 2.5 s in its fast hours and in up
    to 4.5 s in its slow ones, and every figure scales with it: compare figures taken at about
    the same speed."""
    started = time.process_time()
    exec(LOOP, {})  # top-level names, as in a script: what the loop's figures were measured with
    return f"(this machine now: the loop of 20 million additions took {time.process_time() - started:.2f} s)"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(port, **extra):
    """Production settings, made to run on this machine over plain HTTP."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "botox_info.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_HTTPS": "false",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "PORT": str(port),
        "HOST": "127.0.0.1",
    }
    environment.update({key: str(value) for key, value in extra.items()})
    return environment


def require_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk from Debian's packages...", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
        return
    sys.exit("wrk is not installed: run 'sudo apt-get install wrk' and try again.")


@contextlib.contextmanager
def gunicorn(environment, log_path):
    """Start gunicorn with gunicorn.conf.py; yield (base URL, master process); stop it after."""
    log = open(log_path, "w")  # noqa: SIM115 (closed below, after the server stops)
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{environment['PORT']}"
    try:
        wait_until_up(url + "/healthz", process)  # exempt from the HTTPS redirect
        yield url, process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@contextlib.contextmanager
def nginx(directory, port, log_path):
    """Start nginx over an export (`manage.py export_site DIR --port N`) in the foreground; yield its base URL."""
    if not shutil.which("nginx"):
        sys.exit("nginx is not installed: run 'sudo apt-get install nginx libnginx-mod-http-brotli-static'.")
    directory = Path(directory).resolve()
    log = open(log_path, "w")  # noqa: SIM115 (closed below, after the server stops)
    process = subprocess.Popen(
        ["nginx", "-p", str(directory), "-c", str(directory / "nginx.conf"), "-g", "daemon off;"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/", process, name="nginx")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_until_up(url, process, seconds=30, name="gunicorn"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with code {process.returncode}; see its log")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not answer {url} within {seconds} s")


def worker_pids(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_wrk(url, seconds, connections=16, threads=2, script=None):
    """Run wrk; return its output and the figures parsed from it."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return output, parse_wrk(output)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output):
    figures = {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        "p50_ms": _ms(re.search(r"\s50%\s+(\S+)", output)[1]),
        "p99_ms": _ms(re.search(r"\s99%\s+(\S+)", output)[1]),
        "socket_errors": 0,
        "non_2xx_3xx": 0,
    }
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        figures["socket_errors"] = sum(int(number) for number in match.groups())
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        figures["non_2xx_3xx"] = int(match[1])
    return figures


def tempfile_path(name):
    return Path(tempfile.gettempdir()) / name
