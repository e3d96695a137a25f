"""`manage.py` commands in processes forked from the test's own, for the tests of races between processes.

A forked command is a process like `python manage.py publish` in everything the fault tests look at:
its own pid and session (killed with its workers by `kill()`), its own open files and locks, its own
stdout and stderr, its exit status. It differs in what it skips: the interpreter's and Django's
start-up, 0.7 s of processor time that the tests paid 17 times a run. What a new process would not
have, it does not keep: every file descriptor but its three pipes is closed (an inherited one could
hold a lock the test later releases), and publishing's in-memory memos are emptied, so it starts cold.

Fork only while no other thread of the test runs (start a Visitor after forking, or use
`when_told`): a lock another thread holds at the fork stays held in the child for ever.
"""

import contextlib
import io
import os
import resource
import selectors
import signal
import sys
import time
import traceback

from django.core.management import ManagementUtility


class Forked:
    """`manage.py *arguments`, forked now; with `when_told`, it prints "ready" and runs once `tell()` is called."""

    def __init__(self, *arguments, when_told=False, limit=None):
        stdin, self._tell = os.pipe()
        self._out, out = os.pipe()
        self._err, err = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            _run_in_child(["manage.py", *arguments], stdin, out, err, when_told, limit)
        for end in (stdin, out, err):
            os.close(end)
        self.returncode = None
        self._closed = False

    def readline(self, timeout=60):
        """One line of its stdout, read a byte at a time so that nothing after it is taken; "" at the end."""
        line = b""
        deadline = time.monotonic() + timeout
        while not line.endswith(b"\n"):
            ready = _wait_readable([self._out], deadline)
            if not ready:
                raise AssertionError(f"the command printed no whole line in {timeout} s (so far {line!r})")
            byte = os.read(self._out, 1)
            if not byte:
                break
            line += byte
        return line.decode()

    def tell(self):
        os.write(self._tell, b"go\n")

    def poll(self):
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self):
        if self.returncode is None:
            self.returncode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        return self.returncode

    def kill(self):
        """SIGKILL to the command and every process it started (they share its session)."""
        os.killpg(self.pid, signal.SIGKILL)
        self.wait()
        self._close()

    def finish(self, timeout=120):
        """(exit status, stdout, stderr) once it has ended."""
        output = {self._out: b"", self._err: b""}
        open_ends = list(output)
        deadline = time.monotonic() + timeout
        while open_ends:
            ready = _wait_readable(open_ends, deadline)
            if not ready:
                os.killpg(self.pid, signal.SIGKILL)
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
            for end in (self._tell, self._out, self._err):
                os.close(end)


def _wait_readable(ends, deadline):
    with selectors.DefaultSelector() as selector:
        for end in ends:
            selector.register(end, selectors.EVENT_READ)
        return [key.fd for key, _ in selector.select(max(0.0, deadline - time.monotonic()))]


def _run_in_child(argv, stdin, out, err, when_told, limit):
    """Never returns: the command's exit status ends the process, as `manage.py` would."""
    code = 1
    try:
        os.setsid()
        for end, standard in ((stdin, 0), (out, 1), (err, 2)):
            os.dup2(end, standard)
        for name in os.listdir("/proc/self/fd"):
            if int(name) > 2:
                with contextlib.suppress(OSError):  # the listing's own descriptor, closed already
                    os.close(int(name))
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), line_buffering=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), line_buffering=True)
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(number, signal.SIG_DFL)
        if limit:  # a small file size limit: what a full disk looks like to the writer
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        _start_cold()
        if when_told:
            print("ready")
            sys.stdin.readline()
        try:
            ManagementUtility(argv).execute()
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed pipe: the status still says how it ended
                stream.flush()
        os._exit(code)


def _start_cold():
    """Empty what publishing keeps in memory between publishes, as a new process has it."""
    from articles.publish import cache, static

    static._COLLECTED.clear()
    cache._CONTENT_HASHES.clear()
