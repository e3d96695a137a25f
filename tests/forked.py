"""`python manage.py ...` for the tests, started in a fraction of the 0.7 s a new Python takes to get there.

Each command is a new process forked by tests/fork_server.py, a fresh Python that has imported
only modules that read no settings: the command then runs `manage.py` as the interpreter would,
with the environment the test gives it, so it reads its settings, sets Django up, imports this
project's code and starts its memos from nothing, as an editor's command does. Nothing of the
test process reaches it (its settings, its database guard, its threads, its open files). It is
a process like any other for what the tests look at: its own pid and session (`kill()` ends its
workers too), its own locks and pipes, its exit status. The tests start about 40 of them a run (the
races and kills of publishing, the production settings, the servers' set-up); the commands an editor
types through a script of ours (bin/check, make check, a full disk's one line) still start a Python.
"""

import atexit
import contextlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_live = set()  # commands started and not yet finished or killed: stop_leftovers() ends them


class Forked:
    """`python manage.py *arguments` with `environment` (os.environ's by default), started now. With
    `when_told`, it prints "ready" once forked and runs when `tell()` is called."""

    def __init__(self, *arguments, environment=None, when_told=False):
        environment = dict(os.environ if environment is None else environment)
        environment.pop("PYTHONUNBUFFERED", None)  # as an editor's shell has it: stdout written in blocks
        request = {"arguments": list(arguments), "environment": environment, "when_told": when_told}
        stdin, self._tell = os.pipe()
        self._out, out = os.pipe()
        self._err, err = os.pipe()
        try:
            self.pid = _server().start(request, [stdin, out, err])
        finally:
            for end in (stdin, out, err):
                os.close(end)
        self.returncode = None
        self._closed = False
        if not when_told:
            self._close_stdin()  # as subprocess.run without input: a command that reads stdin gets its end
        _live.add(self)

    def readline(self, timeout=60):
        """One line of its stdout, read a byte at a time so that nothing after it is taken; "" at the end."""
        line = b""
        deadline = time.monotonic() + timeout
        while not line.endswith(b"\n"):
            if not _wait_readable([self._out], deadline):
                self.kill()
                raise AssertionError(f"the command printed no whole line in {timeout} s (so far {line!r})")
            byte = os.read(self._out, 1)
            if not byte:
                break
            line += byte
        return line.decode()

    def tell(self):
        os.write(self._tell, b"go\n")
        self._close_stdin()

    def _close_stdin(self):
        if self._tell is not None:
            os.close(self._tell)
            self._tell = None

    def poll(self):
        if self.returncode is None:
            self.returncode = _server().status(self.pid, block=False)
        return self.returncode

    def wait(self):
        if self.returncode is None:
            self.returncode = _server().status(self.pid, block=True)
        return self.returncode

    def kill(self):
        """SIGKILL to the command and every process it started (they share its session), then wait for it."""
        try:
            if self.poll() is None:
                with contextlib.suppress(ProcessLookupError):  # it ended on its own in between
                    os.killpg(self.pid, signal.SIGKILL)
                self.wait()
        except AssertionError:  # the server has gone: the group is still this command's, until reaped
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            raise
        finally:
            self._close()

    def finish(self, timeout=120):
        """(exit status, stdout, stderr) once it has ended."""
        output = {self._out: b"", self._err: b""}
        open_ends = list(output)
        deadline = time.monotonic() + timeout
        while open_ends:
            ready = _wait_readable(open_ends, deadline)
            if not ready:
                self.kill()
                raise AssertionError(f"the command did not finish in {timeout} s: {output}")
            for end in ready:
                chunk = os.read(end, 65536)
                output[end] += chunk
                if not chunk:
                    open_ends.remove(end)
        code = self.wait()
        self._close()
        return code, output[self._out].decode(), output[self._err].decode()

    def _close(self):
        if not self._closed:
            self._closed = True
            self._close_stdin()
            os.close(self._out)
            os.close(self._err)
        _live.discard(self)


def stop_leftovers():
    """Kill every command a test started and did not finish (it failed before): none outlives its test."""
    failures = []
    for command in list(_live):
        try:
            command.kill()
        except AssertionError as error:  # each is killed, whatever happened to another
            failures.append(error)
    if failures:
        raise failures[0]


def _wait_readable(ends, deadline):
    with selectors.DefaultSelector() as selector:
        for end in ends:
            selector.register(end, selectors.EVENT_READ)
        return [key.fd for key, _ in selector.select(max(0.0, deadline - time.monotonic()))]


class _Server:
    """This process's tests/fork_server.py, and what it has said of the commands it started."""

    def __init__(self):
        self.socket, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fork_server", str(theirs.fileno())],
            cwd=ROOT,
            env=environment,
            pass_fds=[theirs.fileno()],
        )
        theirs.close()
        self.ended = {}  # pid -> exit status, as the server reports them
        self.pid = os.getpid()
        atexit.register(self.stop)
        # A process this one forks (the loaders, the publishing workers) must not hold the server's
        # socket: the server ends only when every holder has closed it.
        os.register_at_fork(after_in_child=self.socket.close)

    def start(self, request, descriptors):
        socket.send_fds(self.socket, [json.dumps(request).encode()], descriptors)
        while True:
            message = self._receive(block=True)
            if "started" in message:
                return message["started"]

    def status(self, pid, block):
        while pid not in self.ended:
            if not self._receive(block):
                return None
        return self.ended.pop(pid)

    def _receive(self, block):
        self.socket.setblocking(block)
        try:
            data = self.socket.recv(65536)
        except BlockingIOError:
            return None
        if not data:
            raise AssertionError(f"tests/fork_server.py ended (status {self.process.wait()})")
        message = json.loads(data)
        if "ended" in message:
            self.ended[message["ended"]] = message["status"]
        return message

    def stop(self):
        if os.getpid() == self.pid:  # not in a child forked from this process
            self.socket.close()  # the server kills what is still running and ends
            self.process.wait(timeout=30)


_servers = {}


def _server():
    if os.getpid() not in _servers:
        _servers[os.getpid()] = _Server()
    return _servers[os.getpid()]


def manage_py(*arguments, environment=None, check=False, timeout=120):
    """`python manage.py *arguments` run to its end, as subprocess.run(..., capture_output=True, text=True)
    would run it (its CompletedProcess; CalledProcessError with `check` if it fails), started as a Forked."""
    code, out, err = Forked(*arguments, environment=environment).finish(timeout)
    result = subprocess.CompletedProcess(["manage.py", *arguments], code, out, err)
    if check:
        result.check_returncode()
    return result
