"""Reading and checking one module folder: module.yaml, activities.yaml and the lesson pairs."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from app.catalog.content.check_activities import check_activities
from app.catalog.content.check_lesson import LessonFile, read_lesson
from app.catalog.content.checker import FileChecker
from app.catalog.content.context import PackageContext
from app.catalog.content.files import is_junk
from app.catalog.content.rules import ACTIVITIES_FILE, LANGUAGES, MODULE_FILE, ORDERED_NAME
from app.catalog.content.yaml_lines import LineDict, LineList

_LESSON_FILE = re.compile(r"^(?P<slug>.+)\.(?P<language>es|en)\.md$")


@dataclass
class ModuleFolder:
    """A module as read from disk, kept for loading once the whole package is known to be valid."""

    folder: Path
    position: int
    spec: LineDict | None = None
    activities: list[LineDict] = field(default_factory=list)
    lessons: dict[str, dict[str, LessonFile | None]] = field(default_factory=dict)
    activities_known: bool = True  # False when activities.yaml could not be parsed

    @property
    def slug(self) -> str:
        return self.folder.name


def read_module(folder: Path, position: int, ctx: PackageContext) -> ModuleFolder:
    """Read one module folder, reporting every problem in it; *position* is its 1-based order."""
    module = ModuleFolder(folder, position)
    if not ORDERED_NAME.match(folder.name):
        ctx.file_problem(
            folder, "module folder name must look like 01-module-name (lower-case letters, digits, hyphens)"
        )
    module.spec = ctx.read_yaml(folder / MODULE_FILE)
    if (folder / ACTIVITIES_FILE).exists():
        activities = ctx.read_yaml(folder / ACTIVITIES_FILE, LineList)
        if activities is not None:
            module.activities = check_activities(activities, ctx.checker(folder / ACTIVITIES_FILE))
        module.activities_known = activities is not None
    module.lessons = _read_lessons(folder, ctx)
    if module.spec is not None:
        _check_spec(module, ctx.checker(folder / MODULE_FILE))
    return module


def _read_lessons(folder: Path, ctx: PackageContext) -> dict[str, dict[str, LessonFile | None]]:
    lessons: dict[str, dict[str, LessonFile | None]] = {}
    for path in sorted(folder.iterdir()):
        if is_junk(path.name) or path.is_symlink() or path.name in (MODULE_FILE, ACTIVITIES_FILE):
            continue
        match = _LESSON_FILE.match(path.name)
        if path.is_dir() or not path.name.endswith(".md"):
            ctx.file_problem(
                path, "unexpected item: a module folder holds module.yaml, activities.yaml and lesson .md files"
            )
        elif not match or not ORDERED_NAME.match(match["slug"]):
            ctx.file_problem(path, "lesson file name must look like 01-lesson-name.es.md or 01-lesson-name.en.md")
        else:
            lessons.setdefault(match["slug"], {})[match["language"]] = read_lesson(path, ctx)
    for slug, files in lessons.items():
        for language in LANGUAGES:
            if language not in files:
                other = next(iter(files))
                ctx.file_problem(
                    folder / f"{slug}.{language}.md",
                    f"file is missing: lesson {slug!r} has a .{other}.md "
                    f"file but every lesson needs both .es.md and .en.md",
                )
    return lessons


def _check_spec(module: ModuleFolder, ck: FileChecker) -> None:
    spec = module.spec
    ck.keys(spec, ("title", "summary", "items"))
    ck.text(spec, "title")
    ck.text(spec, "summary")
    items = ck.sequence(spec, "items")
    if items is None:
        return
    # None: activities.yaml could not be parsed, so its ids are unknown and its own error is the one to fix.
    activity_ids = {a["id"] for a in module.activities if isinstance(a.get("id"), str)}
    available = {"lesson": set(module.lessons), "activity": activity_ids if module.activities_known else None}
    used: dict[str, set[str]] = {"lesson": set(), "activity": set()}
    for index, item in enumerate(items):
        _check_item(item, items.lines[index], available, used, ck)
    for kind, refs in available.items():
        for ref in sorted((refs or set()) - used[kind]):
            ck.problem(spec.lines["items"], f"{kind} {ref!r} is not listed in items")


def _check_item(item, line: int, available: dict, used: dict, ck: FileChecker) -> None:
    if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in available:
        ck.problem(line, "each item must be either 'lesson: <file name without .es.md>' or 'activity: <id>'")
        return
    kind, ref = next(iter(item.items()))
    if not isinstance(ref, str):
        ck.problem(line, f"'{kind}' must name a {kind}, not {ref!r}")
    elif available[kind] is None:
        return
    elif ref not in available[kind]:
        where = f"no files {ref}.es.md / {ref}.en.md" if kind == "lesson" else f"no activity with id {ref!r}"
        ck.problem(line, f"{kind} {ref!r} does not exist: this module has {where}")
    elif ref in used[kind]:
        ck.problem(line, f"{kind} {ref!r} is listed more than once")
    else:
        used[kind].add(ref)
