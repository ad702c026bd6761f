"""Safe handling of the ?next= parameter."""

from urllib.parse import unquote, urlsplit


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
