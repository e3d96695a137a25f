"""At most FEEDBACK_RATE_LIMIT posts a minute from one client, counted across every worker.

The count lives in the database (every gunicorn worker shares it) under a keyed
hash of the client's address, never the address itself:

- the key is random, made when gunicorn starts (gunicorn.conf.py puts it in the
  environment its workers inherit) and never written anywhere, so nobody holding the
  database, a backup or the code can test addresses against a stored hash;
- each row counts one minute and is deleted by the next post after it, or at the latest
  by the daily clean-up (purge_feedback); a new key at every restart breaks any link
  between a row and an earlier one;
- no row is linked to a feedback answer, which itself keeps only the date.

So a row says "someone posted N times in this minute", and cannot say who.
Without gunicorn's key (the test client, runserver) each process makes its own.
"""

import contextlib
import functools
import hashlib
import hmac
import ipaddress
import os
import secrets
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from feedback.models import RateBucket

KEY_VARIABLE = "FEEDBACK_RATE_KEY"
_PROCESS_KEY = secrets.token_bytes(32)


def _key():
    shared = os.environ.get(KEY_VARIABLE)
    return shared.encode() if shared else _PROCESS_KEY


def visitor_address(request):
    """The visitor's address: REMOTE_ADDR, or the last X-Forwarded-For entry when a trusted proxy (nginx)
    sent the request. A plain address, as django-axes stores it (AXES_CLIENT_IP_CALLABLE)."""
    address = request.META.get("REMOTE_ADDR", "")
    if _trusted(address) and request.META.get("HTTP_X_FORWARDED_FOR"):
        forwarded = request.META["HTTP_X_FORWARDED_FOR"].split(",")[-1].strip()
        # An address only: "not-an-ip", or one with a port, was a 500 where axes stores it (helper-57).
        # Otherwise the proxy's own address stays, as when it sends none.
        with contextlib.suppress(ValueError):
            address = str(ipaddress.ip_address(forwarded))
    return address


def _trusted(address):
    """Whether `address` is one of FORWARDED_ALLOW_IPS: addresses, networks or "*", as gunicorn reads them.
    Only exact strings had counted: with 127.0.0.0/8, every visitor shared the proxy's count (helper-55)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in _proxies(tuple(settings.FEEDBACK_TRUSTED_PROXIES)))


@functools.cache
def _proxies(entries):
    """The networks of FORWARDED_ALLOW_IPS, read once, not at each request; "*" is every address, and an
    entry that is neither an address nor a network trusts no one."""
    networks = []
    for entry in entries:
        if entry == "*":
            networks += [ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0")]
        else:
            with contextlib.suppress(ValueError):
                networks.append(ipaddress.ip_network(entry, strict=False))
    return tuple(networks)


def client_address(request):
    """What one client's posts are counted under: its address, or for IPv6 its /64, as one household or
    phone holds a whole /64. A network, so not for django-axes (a database's address field refuses it)."""
    address = visitor_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    # An IPv4 visitor seen by a server listening on "::" comes as ::ffff:a.b.c.d: one client each, not all
    # of them one /64 (helper-57).
    parsed = getattr(parsed, "ipv4_mapped", None) or parsed
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False)) if parsed.version == 6 else str(parsed)


def allow(request, now=None):
    """Count this post; False when the client has already sent its share this minute."""
    minute = int((now if now is not None else time.time()) // 60)
    digest = hmac.new(_key(), client_address(request).encode(), hashlib.sha256).hexdigest()[:32]
    bucket = f"{minute}:{digest}"
    with transaction.atomic():
        forget_past_minutes(minute)
        if not RateBucket.objects.filter(bucket=bucket).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateBucket.objects.create(bucket=bucket, minute=minute, count=1)
            except IntegrityError:  # another worker made it first
                RateBucket.objects.filter(bucket=bucket).update(count=F("count") + 1)
        count = RateBucket.objects.get(bucket=bucket).count
    return count <= settings.FEEDBACK_RATE_LIMIT


def forget_past_minutes(minute=None):
    """Delete the counts of minutes before the last one: those that can no longer refuse a post."""
    minute = minute if minute is not None else int(time.time() // 60)
    RateBucket.objects.filter(minute__lt=minute - 1).delete()
