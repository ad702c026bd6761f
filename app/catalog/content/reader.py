"""Reading a whole package folder into parsed files plus the list of its problems."""

from dataclasses import dataclass, field
from pathlib import Path

from app.catalog.content.check_assessment import check_assessment
from app.catalog.content.check_course import check_course
from app.catalog.content.check_module import ModuleFolder, read_module
from app.catalog.content.check_svg import check_svg
from app.catalog.content.context import PackageContext
from app.catalog.content.files import is_junk, package_files, symlinks
from app.catalog.content.problems import Problem
from app.catalog.content.rules import ACTIVITIES_FILE, ASSESSMENT_FILE, COURSE_FILE, MEDIA_DIR, MODULES_DIR
from app.catalog.content.yaml_lines import LineDict


@dataclass
class RawPackage:
    """Every parsed file of a package, with line information; only trusted once it has no problems."""

    folder: Path
    course: LineDict | None = None
    modules: list[ModuleFolder] = field(default_factory=list)
    assessment: LineDict | None = None
    media: dict[str, Path] = field(default_factory=dict)


def validate_package(folder: Path) -> list[Problem]:
    """Every problem of the package in *folder*, sorted by file and line; [] when it can be loaded."""
    return read_package(folder)[1]


def read_package(folder: Path) -> tuple[RawPackage, list[Problem]]:
    """Parse and check every file of the package, reporting all problems rather than the first."""
    package = RawPackage(folder)
    package.media = {relative: path for relative, path in package_files(folder) if relative.startswith(f"{MEDIA_DIR}/")}
    ctx = PackageContext(folder, set(package.media))
    for relative, path in package.media.items():
        if relative.lower().endswith(".svg"):
            check_svg(path, ctx.checker(path))
    package.course = ctx.read_yaml(folder / COURSE_FILE)
    if package.course is not None:
        check_course(package.course, folder.name, ctx.checker(folder / COURSE_FILE))
    package.modules = _read_modules(folder / MODULES_DIR, ctx)
    package.assessment = _read_assessment(folder, package, ctx)
    _check_activity_ids(package.modules, ctx)
    for link in symlinks(folder):
        ctx.file_problem(folder / link, "symbolic links are not allowed in a package")
    # The same mistake can be seen by two checks (a javascript: link is both text and a target).
    return package, sorted(set(ctx.problems))


def _read_modules(modules_dir: Path, ctx: PackageContext) -> list[ModuleFolder]:
    if not modules_dir.is_dir():
        ctx.file_problem(modules_dir, "folder is missing: a course needs modules/ with at least one module folder")
        return []
    folders = []
    for path in sorted(modules_dir.iterdir()):
        if is_junk(path.name) or path.is_symlink():
            continue
        if path.is_dir():
            folders.append(path)
        else:
            ctx.file_problem(path, "unexpected file: modules/ holds only module folders")
    if not folders:
        ctx.file_problem(modules_dir, "a course needs at least one module folder")
    _check_order_numbers(folders, ctx)
    return [read_module(path, position, ctx) for position, path in enumerate(folders, start=1)]


def _check_order_numbers(folders: list[Path], ctx: PackageContext) -> None:
    # Modules are ordered by their prefix; two with the same number would have no defined order.
    seen: dict[str, str] = {}
    for path in folders:
        prefix = path.name[:2]
        if prefix in seen:
            ctx.file_problem(path, f"order number {prefix} is also used by module {seen[prefix]!r}")
        seen.setdefault(prefix, path.name)


def _read_assessment(folder: Path, package: RawPackage, ctx: PackageContext) -> LineDict | None:
    path = folder / ASSESSMENT_FILE
    completion = package.course.get("completion") if package.course else None
    required = isinstance(completion, dict) and completion.get("final_assessment") is True
    if not path.exists():
        if required:
            ctx.file_problem(path, "file is missing: course.yaml says completion.final_assessment is true")
        return None
    assessment = ctx.read_yaml(path)
    if assessment is not None:
        check_assessment(assessment, {module.slug for module in package.modules}, ctx.checker(path))
    return assessment


def _check_activity_ids(modules: list[ModuleFolder], ctx: PackageContext) -> None:
    # Progress is recorded against activity ids, so they must be unique in the whole course.
    seen: dict[str, str] = {}
    for module in modules:
        for activity in module.activities:
            activity_id = activity.get("id")
            if not isinstance(activity_id, str):
                continue
            if activity_id in seen:
                ck = ctx.checker(module.folder / ACTIVITIES_FILE)
                ck.problem(
                    activity.lines["id"], f"activity id {activity_id!r} is already used in module {seen[activity_id]!r}"
                )
            seen.setdefault(activity_id, module.slug)
