"""Dependencies are locked: every package pinned with hashes, and `make install` refuses a file that does not match."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCKS = [ROOT / "requirements.lock", ROOT / "requirements-dev.lock"]


def locked(lock):
    """{package name: (version, [hashes])} from a lock file."""
    text = lock.read_text().replace("\\\n", " ")
    packages = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)(.*)$", line)
        if match:
            packages[normalise(match[1])] = (match[2], re.findall(r"--hash=sha256:([0-9a-f]{64})", match[3]))
    return packages


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = project["project"]["dependencies"]
    dev = project["dependency-groups"]["dev"]
    name = re.compile(r"^[A-Za-z0-9_.\-]+")
    return {normalise(name.match(item)[0]) for item in runtime}, {normalise(name.match(item)[0]) for item in dev}


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_every_locked_package_is_pinned_with_hashes(lock):
    packages = locked(lock)
    assert len(packages) > 20, f"{lock.name} looks truncated"
    unhashed = [name for name, (_, hashes) in packages.items() if not hashes]
    assert not unhashed, f"{lock.name}: no hashes for {unhashed}"
    lines = [line for line in lock.read_text().splitlines() if re.match(r"^[A-Za-z0-9]", line)]
    assert all("==" in line for line in lines), "every package has an exact version"


def test_the_locks_hold_every_declared_dependency():
    runtime, dev = declared()
    runtime_lock, dev_lock = (set(locked(lock)) for lock in LOCKS)
    assert runtime <= runtime_lock, runtime - runtime_lock
    assert runtime | dev <= dev_lock, (runtime | dev) - dev_lock
    assert runtime_lock <= dev_lock, "the development lock installs what the site runs with"


def venv_with_this_pip(folder):
    """A new virtual environment whose pip is this one's, and nothing else of this environment.

    `python -m venv` copies pip in with ensurepip, 5 to 8 s here, when the point is what `make
    install` does with the lock: the Makefile keeps a virtual environment that has a Python.
    Nothing else is on its path, so pip finds no package installed and checks each one it installs.
    It has no `bin/pip`: the Makefile runs pip as `$(PY) -m pip`, as this test needs.
    """
    import pip  # here: a collection error otherwise for every test of this file, if pip were missing

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    only_pip = folder.parent / "only-pip"
    only_pip.mkdir()
    here = Path(pip.__file__).parent
    for found in [here, *here.parent.glob("pip-*.dist-info")]:
        (only_pip / found.name).symlink_to(found)
    (site_packages,) = folder.glob("lib/python*/site-packages")
    (site_packages / "only-pip.pth").write_text(f"{only_pip}\n")


@pytest.mark.server
def test_make_install_refuses_a_package_whose_hash_changed(tmp_path):
    version, hashes = locked(ROOT / "requirements.lock")["asgiref"]
    entry = "asgiref==" + version + "".join(f" \\\n    --hash=sha256:{value}" for value in hashes) + "\n"
    tampered = entry.replace(hashes[0], "0" * 64).replace(hashes[-1], "f" * 64)
    venv_with_this_pip(tmp_path / "venv")

    def install(lock_text, name):
        lock = tmp_path / f"{name}.lock"
        lock.write_text(lock_text)
        # One virtual environment for both: the refused install leaves it empty. The order matters:
        # pip checks no hash of a package already installed, so the tampered lock goes first, and
        # the assertion after it shows it installed nothing.
        command = ["make", "--no-print-directory", "install", f"VENV={tmp_path / 'venv'}", f"LOCK={lock}"]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)

    refused = install(tampered, "tampered")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "DO NOT MATCH THE HASHES" in refused.stderr
    assert not list((tmp_path / "venv").glob("lib/python*/site-packages/asgiref"))
    accepted = install(entry, "intact")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert list((tmp_path / "venv").glob("lib/python*/site-packages/asgiref"))
