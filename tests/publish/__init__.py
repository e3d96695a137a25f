"""Tests of articles/publish: releases, and what each address holds."""
