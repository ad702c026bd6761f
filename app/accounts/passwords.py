"""Password hashing (argon2id) and the password rules: length and a list of common passwords."""

import gzip
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check *password*; with no hash (unknown user) a dummy hash is checked so timing reveals nothing."""
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def is_common_password(password: str) -> bool:
    return password.strip().lower() in _common_passwords()


@cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def _hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher_for(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST_KIB"], config["ARGON2_PARALLELISM"])


@cache
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def _dummy_hash() -> str:
    config = current_app.config
    return _dummy_hash_for(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST_KIB"], config["ARGON2_PARALLELISM"])


@cache
def _dummy_hash_for(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return _hasher_for(time_cost, memory_cost, parallelism).hash("not-a-real-password-for-timing-only")
