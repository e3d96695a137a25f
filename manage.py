#!/usr/bin/env python
"""Django's command-line utility. Defaults to the editors' preview settings."""

import gc
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "botox_info.settings.dev")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    finally:
        # The command is done and the process ends: Python's exit would search every object it
        # still holds for cycles once more (0.1 s of a one-word publish). Frozen, they are left
        # for the operating system. Exit handlers still run and standard output is flushed, and
        # an object freed by its last reference still closes its file; one kept alive only by
        # a cycle is never finalized, so a file must be closed where it is written (ours are).
        gc.freeze()


if __name__ == "__main__":
    main()
