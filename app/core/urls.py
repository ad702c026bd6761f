"""Addresses: the safe ?next= parameter, row ids in URLs and the site's public address."""

from urllib.parse import unquote, urlsplit

from flask import current_app
from werkzeug.routing import IntegerConverter


def safe_next(target: str | None, default: str) -> str:
    """Follow *target* only when it is a path on this site; anything that could leave it gives *default*."""
    if not target or len(target) > 512:
        return default
    decoded = unquote(target)
    for candidate in (target, decoded):
        if any(ord(ch) < 32 for ch in candidate) or "\\" in candidate:
            return default
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc or not candidate.startswith("/") or candidate.startswith("//"):
            return default
    return target


class DatabaseIdConverter(IntegerConverter):
    """A row id in a URL: at most 10 digits and within a 32-bit signed integer, as the id columns are
    (INTEGER, 32 bits on PostgreSQL).

    Anything larger would reach the database as a number its column cannot hold (PostgreSQL refuses it,
    SQLite raises OverflowError beyond 64 bits) or make Python parse thousands of digits; it is simply a
    page that does not exist.
    """

    regex = r"\d{1,10}"

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def public_url(endpoint: str, **values) -> str:
    """The absolute address of *endpoint* under BASE_URL, the same in a request, a task or a command.

    Flask's url_for, asked for an external address, would take the host from the request, which the client chooses.
    """
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
