"""gunicorn settings for `make serve`, `make bench`, `make loadtest` and production.

Pages are served from memory, so workers are CPU-bound: sync workers, two per core
plus one (gunicorn's rule of thumb). Override with WEB_CONCURRENCY.
"""

import multiprocessing
import os

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

# No control socket in ~/.gunicorn: nothing here uses it.
control_socket_disable = True
