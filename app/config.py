"""Default settings; instance/config.py and FLASK_* environment variables override them."""

import os
from datetime import timedelta

# PostgreSQL in production (DATABASE_URL); an SQLite file under instance/ when unset.
DATABASE_URL = os.environ.get("DATABASE_URL", "")

# Signs sessions and tokens; start-up refuses a missing key outside debug and testing.
SECRET_KEY = os.environ.get("SECRET_KEY")

# Where `make run` serves (the Procfile's gunicorn --bind; `make run PORT=8080` sets it); the public
# address when BASE_URL is unset. Not read from PORT here: honcho gives each process of the Procfile its
# own PORT (the worker's is 100 above the web server's), so only BIND names the same address in both.
BIND = os.environ.get("BIND", "127.0.0.1:5000")

# The site's public address. Every absolute URL the app writes (links in e-mails, QR codes, credentials,
# the did:web document) starts with it and never with what a request's Host header says, which anyone
# can forge. Unset: http:// and BIND, the address `make run` serves on (decided in the factory).
BASE_URL = os.environ.get("BASE_URL", "")

# Host names a request may be addressed to, comma-separated (".example.pe" allows its subdomains); any
# other gets 400. Unset: BASE_URL's host, plus localhost and 127.0.0.1 when that host is a loopback one.
TRUSTED_HOSTS = [host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",") if host.strip()] or None

# Redis for rate-limit counters shared by several app processes, and for the task queue.
REDIS_URL = os.environ.get("REDIS_URL", "")

# SMTP relay; when MAIL_SERVER is empty, mail goes to the outbox table and instance/mail/*.eml.
MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in {"1", "true", "yes"}
# Folder for .eml copies of outbox mail; empty means instance/mail.
MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", "")
MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Academia de Integridad <no-reply@academia.example>")

# Languages offered; the first is the default.
LANGUAGES = ("es", "en")
BABEL_DEFAULT_LOCALE = "es"
BABEL_DEFAULT_TIMEZONE = "America/Lima"

# Pages and JSON are compressed with zstd for the browsers that accept it (every current one does), at
# a third of gzip's CPU cost for the same size here (a 9 KB lesson page: about 70 us against 200 us);
# gzip level 6 (most of the saving at a fraction of 9's cost) for every other client.
COMPRESS_ALGORITHM = ["zstd", "gzip"]
COMPRESS_ZSTD_LEVEL = 3
COMPRESS_LEVEL = 6
# A body under 1 KB already fits in one packet: compressing it saves no round trip, only costs CPU.
COMPRESS_MIN_SIZE = 1024
# Flask-Compress re-evaluates If-None-Match after compressing; none of the responses it compresses
# (pages and JSON, made per request) carries an ETag, and files that do are sent as they are.
COMPRESS_EVALUATE_CONDITIONAL_REQUEST = False
# Streamed files (send_file) would be compressed chunk by chunk and their file left open; pages and JSON
# are what needs compressing.
COMPRESS_STREAMS = False
COMPRESS_MIMETYPES = ["text/html", "text/css", "application/json", "image/svg+xml", "text/plain", "text/csv"]

# Largest request body accepted (bytes); larger uploads get a 413 before any parsing.
MAX_CONTENT_LENGTH = 2 * 1024 * 1024

# Cookies: HttpOnly always, Secure whenever BASE_URL is https (decided in core.setup).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_DURATION = timedelta(days=14)
PERMANENT_SESSION_LIFETIME = timedelta(hours=8)

# How long e-mailed links stay valid.
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=3)
PASSWORD_RESET_MAX_AGE = timedelta(hours=1)
# How long an invitation to a role can be accepted: two weeks covers a holiday or a busy fortnight, and an
# offer nobody took up stops waiting to be accepted by whoever holds the mailbox months later.
INVITATION_MAX_AGE = timedelta(days=14)

# Argon2id cost: OWASP ASVS 5.0 asks for at least t=2 and 19 MiB.
ARGON2_TIME_COST = 2
ARGON2_MEMORY_COST_KIB = 19 * 1024
ARGON2_PARALLELISM = 1

# Rate limits, checked before any password hash is computed.
RATELIMIT_LOGIN_PER_IP = "30 per 10 minutes"
RATELIMIT_LOGIN_PER_ACCOUNT = "8 per 15 minutes"
RATELIMIT_RESET_PER_IP = "10 per 10 minutes"
RATELIMIT_RESET_PER_ACCOUNT = "3 per 15 minutes"
RATELIMIT_REGISTER_PER_IP = "10 per hour"
# Public verification, per address: a person checks a handful; a scraper hits the limit (SECURITY.md row 6).
RATELIMIT_VERIFY = "60 per minute"
# Certificate downloads, per signed-in user: PDFs are stored, but the first copy in a language is drawn.
RATELIMIT_CERTIFICATE_DOWNLOAD = "30 per minute"
# Where rate-limit counts are kept: empty means Redis when REDIS_URL is set, else the worker's memory.
RATELIMIT_STORAGE_URI = ""

# How long a confirmation of the password (and a current code) lets the second factor, the password and
# the like be changed: long enough to finish what one started, short enough that a session left open or
# stolen cannot change them without the password (SECURITY.md row 26). Signing in counts as one.
REAUTH_WINDOW = timedelta(minutes=10)

# Password length bounds (ASVS 5.0: at least 8, we ask 10; at least 64 must be accepted).
PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128

# Issuer name shown in authenticator apps.
TOTP_ISSUER = "Academia de Integridad"
# Fernet keys that encrypt TOTP secrets at rest, comma-separated, newest first; empty means TOTP_KEY_FILE.
TOTP_ENCRYPTION_KEYS = os.environ.get("TOTP_ENCRYPTION_KEYS", "")
# Those keys' file when TOTP_ENCRYPTION_KEYS is empty (made 0600 on first use); empty means instance/totp-keys.
TOTP_KEY_FILE = os.environ.get("TOTP_KEY_FILE", "")

# Trust X-Forwarded-For and X-Forwarded-Proto from this many proxies (0 when the app faces clients directly).
PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))
# Trust X-Forwarded-Host from this many proxies: only for a proxy that rewrites Host and sets the header
# itself. Links never come from it either way, but TRUSTED_HOSTS then checks the forwarded host.
PROXY_FIX_X_HOST = int(os.environ.get("PROXY_FIX_X_HOST", "0"))

# Course packages read by `flask courses sync` (the catalog domain).
COURSE_CONTENT_DIR = os.environ.get("COURSE_CONTENT_DIR", "")

# Certificate signing keys (Ed25519, one file per key id); empty means instance/keys. Never committed.
CERTIFICATE_KEY_DIR = os.environ.get("CERTIFICATE_KEY_DIR", "")

# The task queue (Huey): "" means Redis when REDIS_URL is set, else an SQLite file (HUEY_SQLITE_PATH,
# default instance/tasks.db); "memory" keeps tasks in this process until run_queued_tasks (tests).
HUEY_STORAGE = os.environ.get("HUEY_STORAGE", "")
HUEY_SQLITE_PATH = os.environ.get("HUEY_SQLITE_PATH", "")

# Where `flask demo seed` keeps the demo passwords for `make run` to show again; empty means
# instance/demo-accounts.tsv.
DEMO_ACCOUNTS_FILE = os.environ.get("DEMO_ACCOUNTS_FILE", "")
