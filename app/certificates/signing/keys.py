"""Ed25519 signing keys kept as PEM files in one directory: create on first run, rotate, never forget."""

import re
import secrets
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.core import secret_files

# The creation time is part of the key id, so the files alone say which key is older.
KID_PATTERN = re.compile(r"^key-(\d{8}-\d{6})-([0-9a-f]{6})$")
ACTIVE_FILE = "active"
LOCK_FILE = ".lock"
# Multicodec prefix of an Ed25519 public key (varint 0xed), as in did:key and Multikey.
ED25519_MULTICODEC = b"\xed\x01"


class KeyRingError(Exception):
    """The key directory holds something that is not one of our keys; the message names the file."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey = field(repr=False, compare=False)
    created_at: datetime

    @cached_property
    def public_bytes(self) -> bytes:
        return self.private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def public_multibase(self) -> str:
        return "z" + base58.b58encode(ED25519_MULTICODEC + self.public_bytes).decode("ascii")


class KeyRing:
    """All signing keys in *directory*, oldest first, and the one that signs now.

    Other processes (gunicorn workers, the CLI) may rotate the key at any time: every read checks the
    ``active`` file and reloads the directory when it has been replaced, so a worker never publishes a
    DID document that lacks the key another worker has just started to sign with.
    """

    def __init__(self, directory: Path):
        self.directory = directory
        # (stamp of the active file, keys by id, active id), replaced in one assignment so that threads
        # reading while another reloads always see a consistent snapshot.
        self._state: tuple[tuple[int, int] | None, dict[str, SigningKey], str] = (None, {}, "")

    @classmethod
    def load_or_create(cls, directory: Path) -> "KeyRing":
        """Load the keys in *directory*, creating it and a first key if there are none yet.

        The exclusive lock makes two processes starting together on an empty directory agree: the
        first creates the key, the second finds it.
        """
        directory = Path(directory)
        _make_private_directory(directory)
        ring = cls(directory)
        with ring._locked():
            if not (directory / ACTIVE_FILE).exists():
                if any(_key_files(directory)):
                    raise KeyRingError(
                        f"{directory / ACTIVE_FILE} is missing but the directory holds keys: "
                        "write the id of the key that should sign into it."
                    )
                ring._activate(ring._write_new_key())
            ring._load()
        return ring

    @property
    def active(self) -> SigningKey:
        _, keys, active_kid = self._current()
        return keys[active_kid]

    @property
    def keys(self) -> list[SigningKey]:
        _, keys, _ = self._current()
        return sorted(keys.values(), key=lambda key: key.created_at)

    def get(self, kid: str) -> SigningKey | None:
        _, keys, _ = self._current()
        return keys.get(kid) if isinstance(kid, str) else None

    def rotate(self) -> SigningKey:
        """Make a new key the active one; the old keys stay, so what they signed still verifies."""
        with self._locked():
            self._activate(self._write_new_key())
            self._load()
        return self.active

    def _current(self) -> tuple[tuple[int, int] | None, dict[str, SigningKey], str]:
        if self._active_stamp() != self._state[0]:
            with self._locked(shared=True):
                self._load()
        return self._state

    def _load(self) -> None:
        """Read every file in the directory (the caller holds the lock); anything unexpected is an error."""
        stamp = self._active_stamp()
        keys = {}
        for path in sorted(self.directory.iterdir()):
            if path.name in (ACTIVE_FILE, LOCK_FILE) or path.name.startswith(secret_files.TEMP_PREFIX):
                continue
            key = _read_key(path)
            keys[key.kid] = key
        active_file = self.directory / ACTIVE_FILE
        try:
            active_kid = active_file.read_text(encoding="ascii", errors="replace").strip()
        except FileNotFoundError:
            raise KeyRingError(
                f"{active_file} has disappeared; restore it with the id of the key that signs."
            ) from None
        if active_kid not in keys:
            raise KeyRingError(f"{active_file} names {active_kid!r}, which is not a key in the directory.")
        self._state = (stamp, keys, active_kid)

    def _write_new_key(self) -> str:
        created_at = datetime.now(UTC).replace(microsecond=0)
        newest = max((_read_key(path).created_at for path in _key_files(self.directory)), default=None)
        if newest is not None and created_at <= newest:
            # Ids carry whole seconds; a second rotation within one second is stamped a second later,
            # so that sorting by creation time stays exact.
            created_at = newest + timedelta(seconds=1)
        kid = f"key-{created_at:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        secret_files.write_atomically(self.directory / f"{kid}.pem", pem)
        return kid

    def _activate(self, kid: str) -> None:
        secret_files.write_atomically(self.directory / ACTIVE_FILE, f"{kid}\n".encode("ascii"))

    def _active_stamp(self) -> tuple[int, int] | None:
        try:
            info = (self.directory / ACTIVE_FILE).stat()
        except FileNotFoundError:
            return None
        return info.st_ino, info.st_mtime_ns

    def _locked(self, *, shared: bool = False):
        return secret_files.locked(self.directory / LOCK_FILE, shared=shared)


def _make_private_directory(directory: Path) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        if not directory.is_dir():
            raise KeyRingError(f"{directory} exists and is not a directory.") from None
        return
    directory.chmod(0o700)  # mkdir's mode is filtered by the umask


def _key_files(directory: Path) -> Iterator[Path]:
    return (path for path in directory.iterdir() if path.suffix == ".pem")


def _read_key(path: Path) -> SigningKey:
    match = KID_PATTERN.match(path.stem)
    if path.suffix != ".pem" or match is None:
        raise KeyRingError(f"{path} is not a signing key (expected key-YYYYMMDD-HHMMSS-xxxxxx.pem); move it elsewhere.")
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyRingError(f"{path} is readable by other users (mode {stat.S_IMODE(mode):o}); run chmod 600 on it.")
    try:
        private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise KeyRingError(f"{path} is not a readable unencrypted PKCS#8 PEM private key: {exc}") from exc
    if not isinstance(private_key, Ed25519PrivateKey):
        raise KeyRingError(f"{path} holds a {type(private_key).__name__}, not an Ed25519 key.")
    created_at = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    return SigningKey(kid=path.stem, private_key=private_key, created_at=created_at)


