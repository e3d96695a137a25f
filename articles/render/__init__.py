"""Render: Markdown to safe HTML (one pipeline), pages and guides, and loading a whole content folder within bounds.

May import articles.content and articles.checks."""
