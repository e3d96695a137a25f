"""Checks: the rules on Markdown markup, across pages, and readability, in the editors' words.

May import articles.content only."""
