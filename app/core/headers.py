"""Security headers added to every response."""

from flask import current_app
from flask_login import current_user

# No inline script or style anywhere: every asset is a file served by the app itself.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# What every response carries unless its view set the header itself (media files set their own CSP).
_DEFAULTS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
_HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def add_security_headers(response):
    """Apply CSP, framing, sniffing, referrer and caching rules; HSTS only when served over HTTPS."""
    headers = response.headers
    # One pass over the headers already set: a setdefault per header would scan them each time.
    present = set(headers.keys(lower=True))
    https = current_app.config["BASE_URL"].startswith("https://")
    for name, value in (*_DEFAULTS, _HSTS) if https else _DEFAULTS:
        if name.lower() not in present:
            headers.add(name, value)
    if current_user.is_authenticated:
        # Personal pages must not linger in shared office PCs' caches or proxies.
        headers["Cache-Control"] = "no-store"
    return response
