"""Publish: what each address holds, rendered once into an immutable release folder, and the switch to it.

May import articles.content, articles.checks and articles.render."""
