"""The loaded course package: frozen dataclasses that the app turns into database rows."""

import hashlib
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from markdown_it.token import Token

Localised = dict[str, str]  # {"es": ..., "en": ...}


@dataclass(frozen=True)
class ItemRef:
    """One entry of module.yaml ``items``: a lesson slug or an activity id."""

    kind: str  # "lesson" | "activity"
    ref: str

    def to_dict(self) -> dict[str, Any]:
        return _data(self)


@dataclass(frozen=True)
class LessonSpec:
    slug: str
    module: str
    title: Localised
    minutes: int  # from the Spanish front matter: Spanish is the primary version
    objectives: dict[str, list[str]]
    markdown: Localised  # the body after the front matter
    # The bodies as parsed for validation, so that syncing renders them without parsing them again.
    tokens: dict[str, list[Token]] = field(compare=False, repr=False, metadata={"stored": False})

    def to_dict(self) -> dict[str, Any]:
        return _data(self)


@dataclass(frozen=True)
class ActivitySpec:
    id: str
    kind: str
    required: bool
    data: dict[str, Any]  # the YAML mapping without id, kind and required

    def to_dict(self) -> dict[str, Any]:
        return _data(self)


@dataclass(frozen=True)
class ModuleSpec:
    slug: str  # the folder name, e.g. "01-culture-of-legality"
    position: int  # 1-based, from the folder prefix order
    title: Localised
    summary: Localised
    items: list[ItemRef]
    lessons: list[LessonSpec]  # in items order
    activities: list[ActivitySpec]  # in items order

    def to_dict(self) -> dict[str, Any]:
        return _data(self)


@dataclass(frozen=True)
class FinalAssessmentSpec:
    draw: int
    per_module_minimum: int
    bank: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return _data(self)


@dataclass(frozen=True)
class CoursePackage:
    slug: str
    programme: str
    title: Localised
    summary: Localised
    outcomes: list[Localised]
    audience: dict[str, Any]
    estimated_hours: float
    completion: dict[str, Any]
    assessment: dict[str, Any]
    certificate: dict[str, Any]
    prerequisites: list[str]
    changelog: list[dict[str, Any]]
    text_only: bool
    modules: list[ModuleSpec]
    final_assessment: FinalAssessmentSpec | None
    media: dict[str, bytes]
    content_hash: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; media bytes become their size and sha256, since the app stores files apart."""
        data = _data(self)
        data["media"] = {
            path: {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            for path, content in self.media.items()
        }
        return data


def _data(spec) -> dict[str, Any]:
    """asdict(spec) without the fields marked ``stored: False``.

    asdict itself would walk into the parsed tokens, which are dataclasses, and copy every token tree
    of every lesson just for to_dict to drop them.
    """
    return {f.name: _copy(getattr(spec, f.name)) for f in fields(spec) if f.metadata.get("stored", True)}


def _copy(value: Any) -> Any:
    # Leaves are shared, not deep-copied as asdict does: loading left only immutable scalars and bytes.
    if is_dataclass(value):
        return _data(value)
    if isinstance(value, list):
        return [_copy(item) for item in value]
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    return value
