"""Tests of articles/content: reading and validating the editors' files."""
