"""Certificate serials: 128 random bits written in Crockford base32, in groups of four, with a check symbol.

Written here rather than taken from PyPI because the Crockford packages there are unmaintained since
2015 and the whole scheme (alphabet, forgiving decode, mod-37 check symbol) fits in this module.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Crockford's five extra check symbols, so the mod-37 remainder always has one symbol.
CHECK_ALPHABET = ALPHABET + "*~$=U"
RANDOM_BITS = 128
# 26 symbols carry 130 bits: enough for the 128 random ones.
BODY_LENGTH = 26
LENGTH = BODY_LENGTH + 1
GROUP = 4
# Anything longer than a serial with generous separators is not worth reading.
MAX_INPUT = 64

# What people mistype or mis-read: O for 0, I and L for 1; case never matters.
_FORGIVEN = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")
_BODY = re.compile(f"[{ALPHABET}]{{{BODY_LENGTH}}}")


def new_serial() -> str:
    """A fresh canonical serial (no separators)."""
    return encode(secrets.randbits(RANDOM_BITS))


def encode(number: int) -> str:
    symbols = []
    for _ in range(BODY_LENGTH):
        number, remainder = divmod(number, 32)
        symbols.append(ALPHABET[remainder])
    body = "".join(reversed(symbols))
    return body + _check_symbol(body)


def display(serial: str) -> str:
    """ABCD-EFGH-…: groups of four are easier to read aloud and to copy from paper."""
    return "-".join(serial[i : i + GROUP] for i in range(0, len(serial), GROUP))


def normalise(text: str) -> str | None:
    """The canonical serial for what somebody typed, or None if it cannot be one.

    Case, separators and the O/0, I/1, L/1 confusions are forgiven; a wrong check symbol is not.
    """
    if not isinstance(text, str) or len(text) > MAX_INPUT or not text.isascii():
        return None
    compact = _SEPARATORS.sub("", text).upper()
    if len(compact) != LENGTH:
        return None
    body = compact[:BODY_LENGTH].translate(_FORGIVEN)
    check = compact[BODY_LENGTH]
    if check in "OIL":
        check = check.translate(_FORGIVEN)
    if not _BODY.fullmatch(body) or check != _check_symbol(body):
        return None
    return body + check


def _check_symbol(body: str) -> str:
    value = 0
    for symbol in body:
        value = value * 32 + ALPHABET.index(symbol)
    return CHECK_ALPHABET[value % 37]
