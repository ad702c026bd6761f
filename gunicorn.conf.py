"""Gunicorn reads this file from the directory it starts in (the benchmark's bare apps are served so);
the academy itself is served with app.serving, which has the same worker hook."""

from app.serving import post_worker_init  # noqa: F401 - a gunicorn setting, read by name
