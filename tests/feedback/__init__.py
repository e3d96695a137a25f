"""Patient feedback: the form, its target, storage, the editors\x27 views and commands."""
