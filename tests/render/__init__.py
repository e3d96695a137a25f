"""Tests of articles/render: the Markdown pipeline and loading within bounds."""
