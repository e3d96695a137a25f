"""Serve: every request answered from the current release's finished files; no request parses content.

May import only articles.publish.releases (the names shared with publishing), so that
workers never load the publishing libraries."""
