"""Course packages: read, validate (with file:line), render and archive the courses/ folders."""

from app.catalog.content.archive import ArchiveLimits, UnsafeArchive, export_archive, extract_archive
from app.catalog.content.audit import Findings, audit_package, audit_tree
from app.catalog.content.check_tree import validate_tree
from app.catalog.content.files import content_hash
from app.catalog.content.loader import load_package, load_tree
from app.catalog.content.models import (
    ActivitySpec,
    CoursePackage,
    FinalAssessmentSpec,
    ItemRef,
    LessonSpec,
    ModuleSpec,
)
from app.catalog.content.problems import PackageInvalid, Problem
from app.catalog.content.reader import validate_package
from app.catalog.content.render import render_markdown, render_tokens

__all__ = [
    "ActivitySpec",
    "ArchiveLimits",
    "CoursePackage",
    "FinalAssessmentSpec",
    "Findings",
    "ItemRef",
    "LessonSpec",
    "ModuleSpec",
    "PackageInvalid",
    "Problem",
    "UnsafeArchive",
    "audit_package",
    "audit_tree",
    "content_hash",
    "export_archive",
    "extract_archive",
    "load_package",
    "load_tree",
    "render_markdown",
    "render_tokens",
    "validate_package",
    "validate_tree",
]
