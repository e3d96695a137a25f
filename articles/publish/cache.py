"""Reusing what did not change: files of earlier publishes, kept by a hash of everything they are made from.

A page is rendered from its guide (every page's title and text), the page, the
clinic's details, the templates, the static files' names and this code; a QR
code from its address and the code. `FileCache.place` hashes those inputs and, when an
earlier publish made the same file, links it (and its compressed copies) from
`releases/render-cache/` instead of rendering it again.
Pages made from the whole library (home, sitemap, 404) are always made afresh.

After a publish, entries it did not use are removed, so the cache holds one
site's worth of files. Deleting the folder is always safe: the next publish
makes everything again.
"""

import contextlib
import errno
import gzip
import hashlib
import os
import pickle
import shutil
from pathlib import Path

import brotli
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders

FOLDER = "render-cache"  # beside the releases; not a release (it has no manifest)
WHOLE_LIBRARY = {"home", "sitemap", "robots", "privacy"}  # cheap, or depend on every guide: always made
CODE = Path(__file__).resolve().parents[1]  # articles/: the code that renders
UNHASHED = (".pyc", ".gz", ".br")  # bytecode, and compressed copies of files hashed anyway
LINKLESS = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP}  # no hard link here: copy instead
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}  # no room, a quota, a size limit


# Quality 11 makes a page 12% smaller (4.5 KB instead of 5.1 KB, one round trip either way) but
# takes 40 times longer: 7 minutes for 10,000 pages. The static files (WhiteNoise) keep 11.
BROTLI_QUALITY = 6
# gzip level 9 took a third longer than 6 for a page 3 bytes smaller (of 6.3 KB).
GZIP_LEVEL = 6


def compress(body):
    """(gzip, brotli) copies of `body`, as a release keeps them beside the file."""
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0), brotli.compress(body, quality=BROTLI_QUALITY)


def write_file(path, data):
    """Write `data` to `path` (made, or emptied first) in three system calls: Path.write_bytes takes
    six (it asks whether the file is a terminal and where it stands), 36 to 75 us a small file here
    against 21, and a 10,000-page release writes 70,000 of them."""
    view = memoryview(data)  # first: data of the wrong type must not empty the file
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


def fingerprint(*folders, names=()):
    """A hash of every file under `folders` (names and bytes) and of `names`."""
    files = []
    for folder in folders:
        for directory, _, filenames in os.walk(folder):
            files += [os.path.join(directory, name) for name in filenames if not name.endswith(UNHASHED)]
    return fingerprint_files([(path, path) for path in sorted(files)], names)


def files_under(folder):
    """The path of every file under `folder`, relative to it ("css/site.css"), in the order of sorting
    the Paths: what rglob and is_file found, by os.walk and strings (pathlib's relative_to took 0.1 ms
    a file)."""
    found = []
    for directory, _, names in os.walk(folder):
        prefix = os.path.relpath(directory, folder)
        files = [name for name in names if os.path.isfile(os.path.join(directory, name))]
        found += [name if prefix == "." else f"{prefix}/{name}" for name in files]
    return sorted(found, key=lambda name: name.split("/"))


def fingerprint_files(files, names=()):
    """A hash of `files` ([(the name it goes by, its path)]: each name and the file's bytes) and of `names`.

    A file that is not there (a broken link) is left out, as if it were not listed.
    """
    digest = hashlib.sha256()
    for name, path in files:
        content = _content_hash(path)
        if content is not None:
            digest.update(str(name).encode() + b"\0" + content + b"\0")
    for name in names:
        digest.update(name.encode() + b"\0")
    return digest.hexdigest()


# path -> (its identity on disk, the hash of its bytes). Every publish hashes the code, the templates and
# the static sources (hundreds of files); each is read again only when its identity changes. The
# identity includes the change time: a copy that keeps the modification time and the size (`cp -p`,
# `rsync -a --inplace`, an unpacked archive) still sets it, and nothing can set it back.
_CONTENT_HASHES = {}


def _content_hash(path):
    try:
        status = os.stat(path)
    except OSError:
        return None
    identity = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    known = _CONTENT_HASHES.get(path)
    if known is None or known[0] != identity:
        try:
            known = (identity, hashlib.sha256(Path(path).read_bytes()).digest())
        except (IsADirectoryError, FileNotFoundError):
            return None
        _CONTENT_HASHES[path] = known
    return known[1]


class FileCache:
    """The cache folder of one publish; `used` names every entry it read or wrote."""

    def __init__(self, root, static):
        self.root = Path(root) / FOLDER / "files"
        self._root = os.fspath(self.root)  # entries' names are joined to it thousands of times a publish
        self.used = set()
        self.folders = set()  # folders this publish has made or found (make_folder)
        self.digests = {}  # id(object) -> (object, its hash): each guide is hashed once per publish
        self.keys = {}  # id(address) -> (address, its key)
        static_names = files_under(static)
        templates = [Path(entry["DIRS"][0]) for entry in settings.TEMPLATES if entry.get("DIRS")]
        # Pages hold absolute links and the static files' names: both are inputs too.
        self.code = fingerprint(CODE, *templates, names=[settings.SITE_URL, settings.STATIC_URL, *static_names])

    def _path(self, key):
        return os.path.join(self._root, key[:2], key)

    def _remember(self, key, make):
        path = self._path(key)
        self.used.add(key)
        try:
            return Path(path).read_bytes()
        except OSError:
            pass
        body = make()
        self._store(path, body)
        return body

    def _digest(self, thing):
        if id(thing) not in self.digests:
            # repr, not pickle: pickle's bytes change with which equal objects happen to be shared
            # (one date object for every page, or one each), and a cache must see values only.
            # A repr that names an object's address only misses the cache, never hits it wrongly.
            self.digests[id(thing)] = (thing, hashlib.sha256(repr(thing).encode()).hexdigest())
        return self.digests[id(thing)][1]

    def key(self, library, address):
        """The hash of everything the file at `address` is made from; None for a file made from the whole library."""
        known = self.keys.get(id(address))  # asked once to choose the workers, again to make the file
        if known is not None and known[0] is address:
            return known[1]
        key = self._key(library, address)
        self.keys[id(address)] = (address, key)
        return key

    def _key(self, library, address):
        if address.kind in WHOLE_LIBRARY:
            return None
        if address.kind == "qr":  # a QR code holds its page's address, nothing else
            inputs = (self.code, address.path, address.page.canonical_url, address.qr_kind)
        else:  # the guide carries every page's title and text (contents, neighbours, handouts)
            inputs = (self.code, self._digest(library.site), address.kind, address.path, self._digest(address.guide))
        return hashlib.sha256(repr(inputs).encode()).hexdigest()

    def has(self, key):
        """Whether an earlier publish made the file of inputs `key`."""
        return os.path.exists(self._path(key))

    def place(self, key, target, make, compressible):
        """Put the file made from inputs `key` at `target`, with its gzip and brotli copies when
        `compressible`: hard links to the cache's copies, made first (by `make`) if there are none.

        A cache entry is never changed once written, and neither is a release's file, so the
        two can share it; the file keeps the time it was first made (its Last-Modified).
        """
        entry = self._path(key)
        copies = {".gz": f"{entry}-gz", ".br": f"{entry}-br"} if compressible else {}
        self.used.update((key, f"{key}-gz", f"{key}-br") if compressible else (key,))
        self.make_folder(os.path.dirname(target))
        if _link(entry, target):
            for suffix, copy in copies.items():
                _link(copy, f"{target}{suffix}")  # none where the copy was no smaller
            return
        # Not made yet (an edited page, or a first publish): written into the release, then
        # linked into the cache, copies first: an entry that exists has its copies.
        body = make()
        files = [(target, entry, body)]
        if compressible:
            for (suffix, copy), compressed in zip(copies.items(), compress(body), strict=True):
                if len(compressed) < len(body):
                    files.insert(0, (f"{target}{suffix}", copy, compressed))
        for path, _, data in files:
            write_file(path, data)
        for path, cached, data in files:
            self._keep(path, cached, data)

    def _keep(self, path, cached, body):
        """The release's new file `path` kept in the cache as `cached` (whole: a link is made at once)."""
        self.make_folder(os.path.dirname(cached))
        try:
            os.link(path, cached)
        except FileExistsError:  # made by a publish that was killed before it used it: the same bytes
            pass
        except OSError as error:
            if error.errno not in LINKLESS:
                raise
            self._store(cached, body)

    def make_folder(self, folder):
        """Make `folder` and its parents, once a publish: thousands of files share a few folders."""
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)

    def _store(self, path, body):
        self.make_folder(os.path.dirname(path))
        partial = Path(f"{path}.{os.getpid()}.part")
        try:
            write_file(partial, body)
            os.replace(partial, path)  # whole or not at all, even if this publish is killed
        except BaseException:
            partial.unlink(missing_ok=True)
            raise

    def compressed(self, body):
        """(gzip, brotli) copies of `body`, each None where it would be no smaller."""
        key = hashlib.sha256(b"compressed\0" + body).hexdigest()
        gz = self._remember(key + "-gz", lambda: compress(body)[0])
        br = self._remember(key + "-br", lambda: compress(body)[1])
        return (gz if len(gz) < len(body) else None), (br if len(br) < len(body) else None)

    def sweep(self, keep=()):
        """Remove every entry this publish did not use."""
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            for path in folder.iterdir():
                if path.name not in self.used and path.name not in keep:
                    path.unlink(missing_ok=True)


def link_tree(source, target):
    """`target` (new) holding a hard link to each file under `source`, in the same folders."""
    for folder, _, files in os.walk(source):
        into = os.path.join(target, os.path.relpath(folder, source))
        os.makedirs(into, exist_ok=True)
        for name in files:
            _link(os.path.join(folder, name), os.path.join(into, name), strict=True)


def _link(source, target, strict=False):
    """A hard link (a copy where the file system has none); False if there is no `source`, unless `strict`."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        if strict:
            raise
        return False
    except OSError as error:
        if error.errno not in LINKLESS:
            raise
        if not strict and not os.path.exists(source):
            return False
        shutil.copy2(source, target)
    return True


def _static_identities():
    """A hash of the identity of every static file (name, inode, size, modification and change time): a
    loaded page holds the sizes and the fingerprints of the pictures it shows, so a changed picture
    loads every page again (a few hundred stat calls a publish)."""
    found = []
    for finder in finders.get_finders():
        for name, storage in finder.list(apps.get_app_config("staticfiles").ignore_patterns):
            with contextlib.suppress(OSError):
                status = os.stat(storage.path(name))
                found.append((name, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns))
    return hashlib.sha256(repr(sorted(found)).encode()).hexdigest()


class LoadCache:
    """What loading each content file gave (render/library.py), kept by the file's identity on disk.

    The key is the file's path, inode, size, modification and change time (never its bytes:
    the loader alone reads content, within its limits), the clinic's details, the code and the
    static files' identities.
    """

    def __init__(self, root):
        self.root = Path(root) / FOLDER / "loaded"
        self.used = set()
        self.folders = set()  # folders made by this process (put)
        self.site = (object(), b"")  # (the clinic last asked about, its pickle)
        self.code = fingerprint(CODE)
        self.pictures = _static_identities()

    def key(self, path, stat, site, companion=None):
        """`companion`: the identity of a file whose bytes the loaded form also holds (a page's evidence log)."""
        times = (stat.st_mtime_ns, stat.st_ctime_ns)  # the change time: a copy in place may keep the other
        identity = (str(path), stat.st_dev, stat.st_ino, stat.st_size, times, companion, self.code, self.pictures)
        if self.site[0] is not site:  # one clinic for every file of a library: pickled once
            self.site = (site, pickle.dumps(site, protocol=5))
        return hashlib.sha256(repr(identity).encode() + self.site[1]).hexdigest()

    def _path(self, key):
        return self.root / key[:2] / key  # in 256 folders: one folder of thousands is slow to add to

    def get(self, key):
        self.used.add(key)
        try:
            return pickle.loads(self._path(key).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError):
            return None

    def put(self, key, value):
        path = self._path(key)
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        partial = path.with_name(f"{key}.{os.getpid()}.part")
        try:
            write_file(partial, pickle.dumps(value, protocol=5))
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            if error.errno not in DISK_FULL:
                raise
            # No room: the file is loaded again next time, and writing the release says the disk is full.

    def sweep(self):
        if self.root.is_dir():
            for folder in self.root.iterdir():
                if not folder.is_dir():  # an entry of the older, flat layout
                    folder.unlink(missing_ok=True)
                    continue
                for path in folder.iterdir():
                    if path.name not in self.used:
                        path.unlink(missing_ok=True)
