"""Type and shape checks shared by every YAML file of a package, each reporting file and line."""

import datetime
import math
from collections.abc import Iterable
from typing import Any

from app.catalog.content.problems import Problem
from app.catalog.content.rules import ISO_DATE, LANGUAGES, SLUG
from app.catalog.content.yaml_lines import LineDict, LineList


class FileChecker:
    """Collects the problems of one file; the helpers return whether the value passed."""

    def __init__(self, problems: list[Problem], path: str):
        self.problems = problems
        self.path = path

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def is_mapping(self, value: Any, line: int, label: str) -> bool:
        if isinstance(value, LineDict):
            return True
        self.problem(line, f"{label} must be a mapping of keys and values, not {describe(value)}")
        return False

    def keys(self, mapping: LineDict, required: Iterable[str], optional: Iterable[str] = ()) -> None:
        """Report unknown keys at their own line and missing required keys at the mapping's line."""
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in mapping:
            if key not in allowed:
                self.problem(mapping.lines[key], f"unknown key {str(key)!r}")
        for key in required:
            if key not in mapping:
                self.problem(mapping.line, f"missing required key {key!r}")

    def text(self, mapping: LineDict, key: str) -> bool:
        """A localised text: exactly ``es`` and ``en``, both non-empty strings."""
        if key not in mapping:
            return False
        return self.text_value(mapping[key], mapping.lines[key], f"{key!r}")

    def text_value(self, value: Any, line: int, label: str) -> bool:
        if not isinstance(value, LineDict):
            self.problem(line, f"{label} must have an 'es' and an 'en' text, not {describe(value)}")
            return False
        passed = True
        for language in value:
            if language not in LANGUAGES:
                self.problem(value.lines[language], f"unknown language {str(language)!r} in {label}")
                passed = False
        for language in LANGUAGES:
            if language not in value:
                self.problem(value.line, f"{label} is missing its {language!r} text")
            elif not isinstance(value[language], str):
                self.problem(
                    value.lines[language], f"{label} {language!r} must be text, not {describe(value[language])}"
                )
            elif not value[language].strip():
                self.problem(value.lines[language], f"{label} has an empty {language!r} text")
            else:
                continue
            passed = False
        return passed

    def string(self, mapping: LineDict, key: str) -> bool:
        if key not in mapping:
            return False
        value = mapping[key]
        if isinstance(value, str) and value.strip():
            return True
        message = (
            f"{key!r} must not be empty" if isinstance(value, str) else f"{key!r} must be text, not {describe(value)}"
        )
        self.problem(mapping.lines[key], message)
        return False

    def identifier(self, mapping: LineDict, key: str = "id") -> bool:
        if not self.string(mapping, key):
            return False
        if SLUG.match(mapping[key]):
            return True
        self.problem(
            mapping.lines[key], f"{key!r} {mapping[key]!r} must use only lower-case letters, digits and hyphens"
        )
        return False

    def boolean(self, mapping: LineDict, key: str) -> bool:
        if key not in mapping or isinstance(mapping[key], bool):
            return key in mapping
        self.problem(mapping.lines[key], f"{key!r} must be true or false, not {describe(mapping[key])}")
        return False

    def integer(self, mapping: LineDict, key: str, *, minimum: int | None = None, maximum: int | None = None) -> bool:
        if key not in mapping:
            return False
        value = mapping[key]
        if not _is_int(value):
            self.problem(mapping.lines[key], f"{key!r} must be a whole number, not {describe(value)}")
            return False
        return self._in_range(mapping, key, minimum, maximum)

    def number(self, mapping: LineDict, key: str) -> bool:
        value = mapping.get(key)
        if key not in mapping or _is_int(value) or (isinstance(value, float) and math.isfinite(value)):
            return key in mapping
        self.problem(mapping.lines[key], f"{key!r} must be a number, not {describe(mapping[key])}")
        return False

    def choice(self, mapping: LineDict, key: str, allowed: Iterable[str]) -> bool:
        if key not in mapping:
            return False
        allowed = tuple(allowed)
        if isinstance(mapping[key], str) and mapping[key] in allowed:
            return True
        self.problem(mapping.lines[key], f"{key!r} must be one of {', '.join(allowed)}; got {mapping[key]!r}")
        return False

    def sequence(self, mapping: LineDict, key: str, *, min_items: int = 1) -> LineList | None:
        """The list at *key* if it is one with at least *min_items* items; otherwise None."""
        if key not in mapping:
            return None
        value = mapping[key]
        if not isinstance(value, LineList):
            self.problem(mapping.lines[key], f"{key!r} must be a list, not {describe(value)}")
            return None
        if len(value) < min_items:
            self.problem(mapping.lines[key], f"{key!r} must have at least {min_items} item(s)")
            return None
        return value

    def date(self, mapping: LineDict, key: str) -> bool:
        """An unquoted YAML date, or a quoted one in the same ISO form."""
        if key not in mapping:
            return False
        value = mapping[key]
        if type(value) is datetime.date or (isinstance(value, str) and _is_iso_date(value)):
            return True
        self.problem(mapping.lines[key], f"{key!r} must be a date written YYYY-MM-DD, not {describe(value)}")
        return False

    def _in_range(self, mapping: LineDict, key: str, minimum, maximum) -> bool:
        value = mapping[key]
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            self.problem(mapping.lines[key], f"{key!r} must be {bounds}; got {value}")
            return False
        return True


def describe(value: Any) -> str:
    """How a wrong value reads in a message for an author who may not know YAML's type names."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}" if len(value) <= 40 else "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    return type(value).__name__


def _is_int(value: Any) -> bool:
    # YAML's true/false are Python ints; an author who wrote "true" did not mean 1.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_iso_date(value: str) -> bool:
    if not ISO_DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True
