#!/usr/bin/env python
"""Django's command-line utility. Defaults to the editors' preview settings."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "botox_info.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
