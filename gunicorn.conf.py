"""gunicorn settings for `make serve`, `make bench`, `make loadtest` and production.

Pages are served from memory, so workers are CPU-bound: sync workers, two per core
plus one (gunicorn's rule of thumb). Override with WEB_CONCURRENCY.
"""

import multiprocessing
import os

BASE_DIR = os.path.dirname(os.path.abspath(__file__))

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
wsgi_app = "botox_info.wsgi:application"
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))

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
