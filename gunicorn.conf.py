"""gunicorn settings for `make serve`, `make bench`, `make loadtest` and production.

Two per core plus one workers (gunicorn's rule of thumb; WEB_CONCURRENCY overrides),
each with many threads (gthread). Why threads: a sync worker belongs to one
connection until its request is complete, so five clients sending their headers
slowly stopped the whole site. A gthread worker keeps an idle connection in its
poller without a thread, and gives a connection a thread once its first bytes
arrive; a client that then trickles its headers holds that one thread, not the
worker. 64 threads per worker (a waiting thread costs little memory) keep the site
answering with 50 slow clients even if most of them land on one worker
(tests/deploy/test_slow_clients.py). In production, nginx in front reads each whole
request before passing it on (deploy/), so gunicorn never sees a slow client at all.
"""

import multiprocessing
import os
import secrets

BASE_DIR = os.path.dirname(os.path.abspath(__file__))

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
wsgi_app = "botox_info.wsgi:application"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "64"))

# Requests: small limits, since no page needs a long URL or big headers.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
timeout = 30
graceful_timeout = 30
keepalive = 5

# Restart workers now and then so that a slow leak never grows; jitter staggers them.
max_requests = 20000
max_requests_jitter = 2000

# Logs to stdout/stderr, where the platform collects them.
accesslog = "-"
errorlog = "-"
loglevel = "info"

# For the operator's tools (systemd, `kill -HUP` after a code change). Publishing sends no signal:
# every worker reads `releases/current` on each request.
pidfile = os.environ.get(
    "GUNICORN_PIDFILE", os.path.join(os.environ.get("RELEASES_DIR", os.path.join(BASE_DIR, "releases")), "gunicorn.pid")
)

# Trust no proxy's headers (SCRIPT_NAME, X-Forwarded-*) unless told which proxy to trust:
# behind nginx on the same machine, FORWARDED_ALLOW_IPS=127.0.0.1.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")

# No control socket in ~/.gunicorn: nothing here uses it.
control_socket_disable = True

# The feedback rate limit's key (feedback/ratelimit.py): random at each start, shared by the
# workers through the environment they inherit, and never written anywhere.
os.environ["FEEDBACK_RATE_KEY"] = secrets.token_hex(32)
