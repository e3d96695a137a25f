"""Content: finding, reading and validating the editors' files (front matter, the clinic's site.yaml, addresses).

The first stage: imports nothing else from articles."""
