"""Tests of articles/checks and the editors' commands: what an editor is told."""
