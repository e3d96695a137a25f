"""Tests of articles/export: the static export, against a real nginx."""
