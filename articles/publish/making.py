"""Making a release's files: each address's body rendered (or taken from the cache) and written
into the build folder with its compressed copies, by worker processes when there are many.

The publishing process keeps only each file's hash, never its bytes, so its memory does not
grow with the library; the workers are forked, so they share the loaded library without copying it.
"""

import hashlib
import multiprocessing
import os
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from articles.content import addresses
from articles.publish import site
from articles.publish.cache import compress, write_file

COMPRESSIBLE = (".html", ".xml", ".txt", ".svg", ".css", ".js", ".json")
PARALLEL_FROM = 200  # files to render: below it, starting workers costs more than it saves
CHUNK = 20  # addresses a worker makes at a time: a page and its QR codes stay together

_job = None  # (library, cache, public folder, addresses) of the release being made: the workers inherit it


def relative_target(path):
    """ "/a/" -> "a/index.html", "/a/qr.svg" -> "a/qr.svg": the file's name in the release's public folder."""
    name = path.lstrip("/")
    return name + "index.html" if path.endswith("/") else name


def make_files(library, cache, public, progress=None):
    """([(address, what stands for its body)] of every public file in address order, [files written
    afresh rather than linked from the cache]), each file written under `public`.

    `progress(done, total)` is told as files are made.
    """
    global _job
    found = addresses.public_addresses(library)
    chunks = [range(start, min(start + CHUNK, len(found))) for start in range(0, len(found), CHUNK)]
    processes = min(os.cpu_count() or 1, len(chunks)) if _many_to_render(library, cache, found) else 1
    _job = (library, cache, os.fspath(public), found)
    made, fresh = [], []
    try:
        if processes == 1:
            _collect(map(_make_chunk, chunks), made, fresh, cache, progress, len(found))
            return made, fresh
        workers = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
        try:
            with warnings.catch_warnings():
                # Forking a threaded process (runserver, the test server) is safe here: the
                # workers render and write files, and touch no lock the parent's threads hold.
                warnings.simplefilter("ignore", DeprecationWarning)
                results = workers.map(_make_chunk, chunks)  # forks the workers: they inherit _job
            _collect(results, made, fresh, cache, progress, len(found))
        except BaseException:
            # An error in a chunk is raised here: the chunks not started are dropped, and those
            # started finish (a moment: a chunk is a few pages). No worker is killed: one killed
            # while it sends its result keeps the results' lock, and multiprocessing.Pool's
            # terminate() then waited for that lock for ever (the publish hung, holding its lock).
            # A worker that dies (killed, out of memory) is reported, not waited for.
            workers.shutdown(cancel_futures=True)
            raise
        workers.shutdown()
        return made, fresh
    finally:
        _job = None


def _many_to_render(library, cache, found):
    """Whether at least PARALLEL_FROM of the files must be rendered, not linked from the cache.

    After a small edit, nearly every file is in the cache already, and linking it costs
    less than starting the workers would.
    """
    to_render = 0
    for address in found:
        key = cache.key(library, address)
        to_render += key is None or not cache.has(key)
        if to_render >= PARALLEL_FROM:
            return True
    return False


def _collect(results, made, fresh, cache, progress, total):
    for hashes, written, used in results:
        made.extend(hashes)
        fresh.extend(written)
        cache.used.update(used)  # a worker's record of the cache entries it used, for the sweep
        if progress:
            progress(len(made), total)


def _make_chunk(indexes):
    """([(path, hash)], [files written afresh], cache keys used) for the addresses at `indexes`."""
    library, cache, public, found = _job
    saved, cache.used = cache.used, set()  # this chunk's own record: _collect adds it to the publish's
    try:
        made = [_make(library, cache, public, found[index]) for index in indexes]
        return [(path, token) for path, token, _ in made], [file for *_, file in made if file], cache.used
    finally:
        cache.used = saved


def _make(library, cache, public, address):
    """(address, what the release's digest takes for its body, the file if it was written afresh).

    The digest takes the hash of a file's inputs, which decide its bytes; for a file made
    from the whole library, which is never cached, the hash of its bytes.
    """
    name = relative_target(address.path)
    key = cache.key(library, address)
    if key is None:
        path = Path(public, name)
        body = site.body(library, address)
        write(path, body)
        return address.path, hashlib.sha256(body).hexdigest(), path
    # The name as a string: after an edit, nearly every file is linked from the cache, and
    # pathlib's work on each name took longer than the link itself.
    path = os.path.join(public, name)
    cache.place(key, path, lambda: site.body(library, address), compressible=name.endswith(COMPRESSIBLE))
    return address.path, key, None


def write(path, body, cache=None):
    """Write `body` to `path`, with its compressed copies when it is text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, body)
    if path.suffix in COMPRESSIBLE:
        write_compressed(path, body, cache)


def write_compressed(path, body, cache=None):
    """gzip and brotli copies beside the file, for servers that send them as they are.

    A copy no smaller than the file (a tiny robots.txt) is left out: WhiteNoise would
    never send it, nginx's gzip_static would, and the two must send the same bytes.
    """
    copies = cache.compressed(body) if cache is not None else compress(body)
    for suffix, compressed in zip((".gz", ".br"), copies, strict=True):
        if compressed is not None and len(compressed) < len(body):
            write_file(f"{path}{suffix}", compressed)
