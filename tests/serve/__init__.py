"""Tests of articles/serve: what a visitor gets from the release, under a real server too."""
