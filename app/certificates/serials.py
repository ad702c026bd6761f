"""Certificate serials: 128 random bits written in Crockford base32, in groups of four, with a check symbol.

New serials end in a Luhn mod 32 check symbol over the same 32 letters and digits
(python-stdnum's ``stdnum.luhn``), so a serial is only letters and digits: nothing a messaging app
or a mail client cuts off the end of a shared link, and every single mistyped symbol is caught.

Serials issued before that end in Crockford's mod-37 check symbol, whose alphabet adds ``* ~ $ = U``.
Those stay valid: ``normalise`` accepts either check, and a legacy serial whose ``* ~ $ =`` a shared
link lost is made whole again. Accepting two checks lets about one single-symbol slip in 37 pass
``normalise``; the lookup then finds no certificate, because 128 random bits are never guessed.
The encoding and the forgiving reading are Crockford's and fit in this module; the PyPI packages for
them are unmaintained since 2015.
"""

import re
import secrets

from stdnum import luhn

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Crockford's five extra check symbols, so the mod-37 remainder always has one symbol (legacy serials).
LEGACY_CHECK_ALPHABET = ALPHABET + "*~$=U"
# What link detection drops from the end of a URL, so a shared legacy serial may arrive without it.
_DROPPED_AT_THE_END = frozenset("*~$=")
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
    return body + check_symbol(body)


def check_symbol(body: str) -> str:
    """The Luhn mod 32 check symbol of new serials: always one of ALPHABET."""
    return luhn.calc_check_digit(body, alphabet=ALPHABET)


def legacy_check_symbol(body: str) -> str:
    """Crockford's mod-37 check symbol, which serials issued before the Luhn check end in."""
    value = 0
    for symbol in body:
        value = value * 32 + ALPHABET.index(symbol)
    return LEGACY_CHECK_ALPHABET[value % 37]


def display(serial: str) -> str:
    """ABCD-EFGH-…: groups of four are easier to read aloud and to copy from paper."""
    return "-".join(serial[i : i + GROUP] for i in range(0, len(serial), GROUP))


def normalise(text: str) -> str | None:
    """The canonical serial for what somebody typed, or None if it cannot be one.

    Case, separators and the O/0, I/1, L/1 confusions are forgiven; a check symbol that is neither the
    Luhn one nor the legacy mod-37 one is not. A legacy serial missing its last symbol is completed when
    that symbol is one link detection drops (``* ~ $ =``): that is how a shared link loses it.
    """
    if not isinstance(text, str) or len(text) > MAX_INPUT or not text.isascii():
        return None
    compact = _SEPARATORS.sub("", text).upper()
    body = compact[:BODY_LENGTH].translate(_FORGIVEN)
    if not _BODY.fullmatch(body):
        return None
    if len(compact) == BODY_LENGTH:
        legacy = legacy_check_symbol(body)
        return body + legacy if legacy in _DROPPED_AT_THE_END else None
    if len(compact) != LENGTH:
        return None
    check = compact[BODY_LENGTH].translate(_FORGIVEN)
    if check not in (check_symbol(body), legacy_check_symbol(body)):
        return None
    return body + check
