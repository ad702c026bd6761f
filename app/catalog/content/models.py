"""The loaded course package: frozen dataclasses that the app turns into database rows."""

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

Localised = dict[str, str]  # {"es": ..., "en": ...}


@dataclass(frozen=True)
class ItemRef:
    """One entry of module.yaml ``items``: a lesson slug or an activity id."""

    kind: str  # "lesson" | "activity"
    ref: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class LessonSpec:
    slug: str
    module: str
    title: Localised
    minutes: int  # from the Spanish front matter: Spanish is the primary version
    objectives: dict[str, list[str]]
    markdown: Localised  # the body after the front matter

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ActivitySpec:
    id: str
    kind: str
    required: bool
    data: dict[str, Any]  # the YAML mapping without id, kind and required

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
        return asdict(self)


@dataclass(frozen=True)
class FinalAssessmentSpec:
    draw: int
    per_module_minimum: int
    bank: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
        data = asdict(self)
        data["media"] = {
            path: {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            for path, content in self.media.items()
        }
        return data
