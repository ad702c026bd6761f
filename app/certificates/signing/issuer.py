"""The issuer: the name it prints and signs under, its did:web DID built from BASE_URL, and its signing keys under instance/."""

from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import current_app

from app.certificates.signing.keys import KeyRing, SigningKey

ISSUER_NAME = "Secretaría de Integridad Pública — Presidencia del Consejo de Ministros"
_EXTENSION = "academy_keyring"


def keyring() -> KeyRing:
    """One per process; the first run creates the first key (never committed: instance/ is ignored). The
    ring notices a rotation made by another process (the CLI) by itself."""
    ring = current_app.extensions.get(_EXTENSION)
    if ring is None:
        directory = current_app.config.get("CERTIFICATE_KEY_DIR") or Path(current_app.instance_path) / "keys"
        ring = current_app.extensions[_EXTENSION] = KeyRing.load_or_create(Path(directory))
    return ring


def issuer_did() -> str:
    """did:web for the site's host; a port is percent-encoded and a path becomes colon-separated segments."""
    parts = urlsplit(current_app.config["BASE_URL"])
    host = quote(parts.netloc, safe="")
    path = [segment for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *path])


def verification_method(key: SigningKey) -> str:
    return f"{issuer_did()}#{key.kid}"


def public_key_for(verification_method_id: str) -> bytes | None:
    """The raw public key behind one of our verification methods, retired keys included; None otherwise."""
    did, _, kid = verification_method_id.partition("#")
    if did != issuer_did() or not kid:
        return None
    key = keyring().get(kid)
    return key.public_bytes if key else None
