"""The committed role matrix (role_matrix.txt): what a line says, and reading and rewriting the file."""

from pathlib import Path
from urllib.parse import urlsplit

MATRIX_FILE = Path(__file__).with_name("role_matrix.txt")
HEADER = """\
# Who gets what: one line per route and method, then the status code each role gets.
# Every POST carries the CSRF token and a valid form (tests/test_role_matrix.py, VALID_FORMS).
# ">login": the redirect goes to the sign-in page. "!": the redirect carries an error or warning
# message for the next page (a refusal explained to the user rather than a 4xx).
# Generated from app.url_map; after a deliberate change run UPDATE_ROLE_MATRIX=1 and review the diff.
"""
ROLES = (
    "anonymous",
    "citizen",
    "learner",
    "business_rep",
    "trainer",
    "integrity_officer",
    "governor",
    "advisor",
    "sip_admin",
)


def outcome(client, response) -> str:
    """The status code, and for a redirect whether it goes to sign-in and whether it flashed a refusal."""
    answer = str(response.status_code)
    if response.status_code in (301, 302, 303, 307, 308):
        if urlsplit(response.location).path == "/login":
            answer += ">login"
        with client.session_transaction() as session:
            if any(category in ("error", "warning") for category, _message in session.get("_flashes", [])):
                answer += "!"
    return answer


def key(endpoint, method) -> str:
    return f"{endpoint} {method}"


def line(endpoint, method, rule, outcomes) -> str:
    return f"{endpoint} {method} {rule} | " + " ".join(f"{role}={outcomes[role]}" for role in ROLES)


def committed() -> dict:
    """{"endpoint METHOD": (rule, {role: outcome})}, as the committed file has them."""
    parsed = {}
    for route_key, text in committed_lines().items():
        route, _, answers = text.partition(" | ")
        parsed[route_key] = (route.split(" ", 2)[2], dict(answer.split("=", 1) for answer in answers.split()))
    return parsed


def committed_lines() -> dict:
    """{"endpoint METHOD": line} of the committed file, comments left out."""
    lines = MATRIX_FILE.read_text().splitlines() if MATRIX_FILE.exists() else []
    return {_key_of(text): text for text in lines if text and not text.startswith("#")}


def write_line(text: str) -> None:
    """Put *text* in the file in place of its route's line, or where its route sorts."""
    lines = committed_lines()
    lines[_key_of(text)] = text
    write_lines(lines)


def write_lines(lines: dict) -> None:
    """Rewrite the file with *lines*, in the order of the routes' paths (as the url_map sorts them)."""
    MATRIX_FILE.write_text(HEADER + "".join(f"{text}\n" for text in sorted(lines.values(), key=_order)))


def _key_of(text: str) -> str:
    return " ".join(text.split(" ", 2)[:2])


def _order(text: str):
    endpoint, method, rule = text.split(" | ")[0].split(" ", 2)
    return rule, endpoint, method
