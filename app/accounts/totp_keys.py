"""The Fernet keys that encrypt TOTP secrets at rest: TOTP_ENCRYPTION_KEYS, else a key file under instance/.

Imports no model, so migrations may use it (inside the application context Flask-Migrate provides).
"""

import re
import stat
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

from app.core import secret_files

DEFAULT_KEY_FILE = "totp-keys"
FILE_HEADER = "# TOTP encryption keys (Fernet), newest first. Back this file up: without it no TOTP code verifies.\n"
# pyotp's secrets are base32 (upper case and digits); a Fernet token is URL-safe base64 starting "gAAAAA".
_PLAIN_SECRET = re.compile(r"[A-Z2-7]{16,64}=*")


class TotpKeyError(Exception):
    """The keys are missing or malformed, or none of them opens a stored secret; the message says what to do."""


class TotpKeys:
    """The keys read at one moment, newest first: the newest encrypts, any of them decrypts."""

    def __init__(self, keys: list[bytes], source: str):
        self.source = source
        self._fernet = MultiFernet([Fernet(key) for key in keys])
        self._count = len(keys)

    def __len__(self) -> int:
        return self._count

    def encrypt(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode("ascii")).decode("ascii")

    def decrypt(self, token: str) -> str:
        return self._open(self._fernet.decrypt, token).decode("ascii")

    def rotate(self, token: str) -> str:
        """*token* encrypted again under the newest key, so that older keys can be retired."""
        return self._open(self._fernet.rotate, token).decode("ascii")

    def _open(self, operation, token: str) -> bytes:
        if is_plain_secret(token):
            raise TotpKeyError("a TOTP secret is stored in plain text: run `flask db upgrade` to encrypt it.")
        try:
            return operation(token.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError):
            raise TotpKeyError(
                f"none of the TOTP encryption keys ({self.source}) opens a stored secret: "
                "was a key removed or replaced before every secret was re-encrypted?"
            ) from None


def encrypt(secret: str) -> str:
    """The value to store in users.totp_secret for *secret*."""
    return current_keys().encrypt(secret)


def decrypt(token: str) -> str:
    """The secret behind a stored value; a wrong or missing key raises TotpKeyError, never a silent mismatch."""
    return current_keys().decrypt(token)


def is_plain_secret(value: str) -> bool:
    """Whether *value* is a base32 secret as stored before encryption, rather than a Fernet token."""
    return bool(_PLAIN_SECRET.fullmatch(value))


def current_keys() -> TotpKeys:
    """The keys as they are now, read afresh on each call.

    Reading a few hundred bytes per sign-in costs nothing next to the password hash, and it means a
    rotation made by the CLI reaches every running worker at once, with no restart.
    """
    if keys_from_environment():
        return TotpKeys(_parse_environment(current_app.config["TOTP_ENCRYPTION_KEYS"]), "TOTP_ENCRYPTION_KEYS")
    path = key_file()
    if not path.exists():
        with _locked(path):
            if not path.exists():  # another process may have created it while we waited
                _write_keys(path, [Fernet.generate_key()])
    return TotpKeys(_read_key_file(path), str(path))


def keys_from_environment() -> bool:
    """The keys come from TOTP_ENCRYPTION_KEYS when it is set; the operator then rotates them there."""
    return bool(current_app.config.get("TOTP_ENCRYPTION_KEYS"))


def key_file() -> Path:
    return Path(current_app.config.get("TOTP_KEY_FILE") or Path(current_app.instance_path) / DEFAULT_KEY_FILE)


def add_key() -> None:
    """Put a new key first in the key file; the old keys stay after it, so every stored secret still opens."""
    path = _writable_key_file()
    with _locked(path):
        _write_keys(path, [Fernet.generate_key(), *_read_key_file(path)])


def drop_old_keys() -> int:
    """Keep only the newest key in the key file; returns how many were removed.

    Only call this once every stored secret is under the newest key: what the old keys made stops opening.
    """
    path = _writable_key_file()
    with _locked(path):
        keys = _read_key_file(path)
        _write_keys(path, keys[:1])
    return len(keys) - 1


def _writable_key_file() -> Path:
    if keys_from_environment():
        raise TotpKeyError("the TOTP keys come from TOTP_ENCRYPTION_KEYS: change them there, not in a file.")
    current_keys()  # creates the file on first use
    return key_file()


def _parse_environment(value) -> list[bytes]:
    entries = value.split(",") if isinstance(value, str) else list(value)
    keys = [entry.strip().encode("ascii") for entry in entries if entry.strip()]
    for number, key in enumerate(keys, start=1):
        _check_key(key, f"TOTP_ENCRYPTION_KEYS, key {number},")
    return keys


def _read_key_file(path: Path) -> list[bytes]:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise TotpKeyError(f"{path} is readable by other users (mode {stat.S_IMODE(mode):o}); run chmod 600 on it.")
    keys = []
    for number, line in enumerate(path.read_text(encoding="ascii", errors="replace").splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            keys.append(_check_key(line.encode("ascii", errors="replace"), f"{path}, line {number},"))
    if not keys:
        raise TotpKeyError(f"{path} holds no key; restore it from a backup.")
    return keys


def _check_key(key: bytes, where: str) -> bytes:
    try:
        Fernet(key)
    except ValueError:
        raise TotpKeyError(f"{where} is not a Fernet key (32 bytes in URL-safe base64).") from None
    return key


def _write_keys(path: Path, keys: list[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    secret_files.write_atomically(path, (FILE_HEADER + "".join(key.decode("ascii") + "\n" for key in keys)).encode("ascii"))


def _locked(path: Path):
    """Serialise writers (first use in several workers, the CLI) so that no key is ever lost between them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return secret_files.locked(path.with_name(path.name + ".lock"))
