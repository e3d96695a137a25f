"""Finding and reading content files with bounds, so that no file can stall or crash whoever reads it.

- only regular files are read: a symlink, a FIFO or a device is refused by
  name, and files are opened without following links and without blocking;
- each file has a size limit (settings.CONTENT_MAX_BYTES);

and every refusal is a Problem naming the file, like any other content mistake.
Parsing and rendering each file within a time limit is articles/render/library.py's job.
"""

import errno
import os
import re
import stat
from pathlib import Path

from django.conf import settings

from articles.content.addresses import RESERVED_GUIDE_SLUGS
from articles.content.problems import ContentError, Problem

GUIDE_FILE = "guide.yaml"
SITE_FILE = "site.yaml"
REVIEWS_FILE = "reviews.yaml"  # a guide's clinical sign-offs (content/reviews.py)


def read_bounded(path, limit=None, too_large="split it into shorter pages; a page is a few hundred words"):
    """The text of a regular file of at most `limit` bytes, or ContentError saying why not (`too_large`: the
    fix for a file over the limit)."""
    limit = settings.CONTENT_MAX_BYTES if limit is None else limit
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ELOOP:  # O_NOFOLLOW on a symlink
            raise ContentError([_not_a_file(path, "a link")]) from error
        if error.errno == errno.ENOENT:
            raise FileNotFoundError(path) from error
        raise ContentError(
            [Problem(path, f"cannot be read ({error.strerror})", "check the file's permissions")]
        ) from error
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise ContentError([_not_a_file(path, "not a plain file")])
        data = file.read(limit + 1)
    if len(data) > limit:
        raise ContentError(
            [
                Problem(
                    path,
                    f"is larger than {limit // 1024} KB",
                    too_large,
                )
            ]
        )
    try:
        # utf-8-sig: without the byte-order mark Windows' Notepad writes first, which hid a page's first '---'.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError([Problem(path, f"is not UTF-8 text ({error.reason})", "save the file as UTF-8")]) from error


def _rename_hint(name):
    """Say which name to use: the folder name becomes the guide's address."""
    if name in RESERVED_GUIDE_SLUGS:
        return f"'{name}' is an address the site itself uses; choose another folder name"
    suggestion = "-".join(re.findall(r"[a-z0-9]+", name.lower()))
    if not suggestion or suggestion in RESERVED_GUIDE_SLUGS:
        return "rename the folder in lowercase words joined by hyphens, e.g. botox-jaw-pain"
    return f"rename the folder to '{suggestion}': lowercase words joined by hyphens (it is the guide's address)"


def _not_a_file(path, what):
    return Problem(path, f"is {what}", "content files must be ordinary files saved in the content folder")


def scan(root):
    """(guide folders {folder: [files]}, site file or None, problems) for a content folder.

    Uses lstat only: nothing here follows a link or opens a file.
    """
    root = Path(root)
    folders, problems, site_file = {}, [], None
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError as error:
        return {}, None, [Problem(root, f"cannot be read ({error.strerror})", "check CONTENT_DIR")]
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith(".") or (entry.is_file(follow_symlinks=False) and entry.name.endswith(".txt")):
            continue
        if entry.name == SITE_FILE:
            site_file = path
            continue
        if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
            if entry.is_symlink() or entry.name.endswith((".md", ".yaml", ".yml")):
                problems.append(Problem(path, "is not a guide folder", "put each guide in a folder of its own"))
            continue
        files, found = _scan_guide_folder(path)
        problems.extend(found)
        if files is not None:
            folders[path] = files
    return folders, site_file, problems


def _scan_guide_folder(folder):
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        return None, [Problem(folder, f"cannot be read ({error.strerror})", "check the folder's permissions")]
    names = {entry.name for entry in entries}
    if GUIDE_FILE not in names:
        if any(name.endswith(".md") for name in names):
            return None, [
                Problem(
                    folder,
                    "has pages but no guide.yaml, so it is not published",
                    "copy guide.yaml from another guide's folder and change its title and summary",
                )
            ]
        return None, []
    problems = []
    name = folder.name
    from articles.content import frontmatter as fm

    if not fm.SLUG_RE.fullmatch(name) or name in RESERVED_GUIDE_SLUGS:
        # The folder is left out whole: its files get no messages of their own.
        return None, [Problem(folder, f"the folder name '{name}' cannot be a guide's address", _rename_hint(name))]
    files = []
    for entry in entries:
        if entry.name.startswith(".") or not entry.name.endswith((".md", ".yaml")):
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            problems.append(_not_a_file(path, "a link"))
        elif not entry.is_file(follow_symlinks=False):
            problems.append(_not_a_file(path, "not a plain file"))
        elif entry.name in (GUIDE_FILE, REVIEWS_FILE) or entry.name.endswith(".md"):
            files.append(path)
    return files, problems
