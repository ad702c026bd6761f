"""The order people expect titles in: Spanish collation for Spanish titles, plain dictionary order for English.

ICU would do this, but PyICU ships no wheel on PyPI (it needs the ICU headers and a C++ compiler, which
`make run` cannot count on), the wheel-only wrappers that exist either leave collation out or are
unofficial rebuilds weighing tens of megabytes, and Babel has no collation. The rules a catalogue of
course titles needs fit in a few lines: letters compare without their accents and without case (the
first level of the Unicode collation algorithm), except that in Spanish ñ is a letter of its own,
after n. Ties at that level fall back to the accented and cased text, then to the text itself, so
the order never depends on the order the titles came in.
"""

import unicodedata

_COMBINING_TILDE = "\u0303"
# Sorts after every Latin letter, so "n" followed by it lands after "nz…" and before "o".
_AFTER_N = "\uf8ff"


def title_sort_key(title: str, language: str) -> tuple[str, str, str]:
    """The key that sorts *title* as a reader of *language* expects: accents and case ignored first,
    and, in Spanish, ñ after n ("Nube" < "Ñandú" < "Obra"), as CLDR's Spanish collation does."""
    decomposed = unicodedata.normalize("NFD", title).casefold()
    return (_primary(decomposed, spanish=language == "es"), decomposed, title)


def _primary(decomposed: str, *, spanish: bool) -> str:
    letters = []
    for character in decomposed:
        if not unicodedata.combining(character):
            letters.append(character)
        elif spanish and character == _COMBINING_TILDE and letters and letters[-1] == "n":
            letters.append(_AFTER_N)
    return "".join(letters)
