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
        # for the operating system to free; files and output are closed and flushed as before.
        gc.freeze()


if __name__ == "__main__":
    main()
