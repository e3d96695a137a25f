"""Slow clients: sockets that send a request's headers one line every few seconds, and never finish.

Used by tests/deploy/test_slow_clients.py (and runnable by hand) to check that
such clients cannot starve a server: while they hold their connections, a
normal request must still be answered at once.

    python -m scripts.slow_clients PORT [COUNT] [SECONDS]

Bounded in every way: only 127.0.0.1, at most MAX_CLIENTS sockets, each closed
after `seconds` at the latest.
"""

import contextlib
import socket
import sys
import threading
import time
import urllib.request

MAX_CLIENTS = 500
LINE_EVERY = 2.0  # seconds between two header lines


class SlowClients:
    """`count` connections to 127.0.0.1:`port`, each trickling headers for at most `seconds`."""

    def __init__(self, port, count, seconds=30.0, path="/"):
        if not 0 < count <= MAX_CLIENTS:
            raise ValueError(f"between 1 and {MAX_CLIENTS} slow clients")
        self.port, self.count, self.seconds, self.path = port, count, seconds, path
        self.sockets = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)

    def __enter__(self):
        for _ in range(self.count):
            connection = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            connection.sendall(f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
            self.sockets.append(connection)
        self.thread.start()
        time.sleep(LINE_EVERY)  # every client has been handed to the server and sent a line since
        return self

    def _trickle(self):
        deadline = time.monotonic() + self.seconds
        line = 0
        while not self.stop.wait(LINE_EVERY) and time.monotonic() < deadline:
            line += 1
            for connection in list(self.sockets):
                try:
                    connection.sendall(f"X-Slow-{line}: {line}\r\n".encode())
                except OSError:
                    self.sockets.remove(connection)  # the server gave up on it: that is its right
        self.close()

    def still_open(self):
        """How many connections the server has not closed."""
        return len(self.sockets)

    def close(self):
        self.stop.set()
        for connection in self.sockets:
            with contextlib.suppress(OSError):
                connection.close()

    def __exit__(self, *exc):
        self.close()
        self.thread.join(timeout=LINE_EVERY + 1)


def timed_get(port, path="/", timeout=1.0):
    """(status, seconds) of a normal GET on 127.0.0.1:`port`, given at most `timeout` seconds."""
    started = time.monotonic()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": "127.0.0.1"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
        return response.status, time.monotonic() - started


def main():
    port = int(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 30
    with SlowClients(port, count, seconds) as clients:
        for _ in range(5):
            try:
                status, took = timed_get(port, timeout=5)
                print(f"{clients.still_open()} slow clients open; GET / -> {status} in {took * 1000:.0f} ms")
            except OSError as error:
                print(f"{clients.still_open()} slow clients open; GET / failed: {error}")
            time.sleep(1)


if __name__ == "__main__":
    main()
