"""Export: the current release as a folder of files with an nginx configuration and headers that match Django's.

May import every earlier stage."""
