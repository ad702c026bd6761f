"""Checks across the packages of a folder: unique slugs, existing prerequisites, no cycles."""

from pathlib import Path

from app.catalog.content.files import is_junk
from app.catalog.content.problems import Problem
from app.catalog.content.reader import RawPackage, read_package
from app.catalog.content.rules import COURSE_FILE
from app.catalog.content.yaml_lines import LineDict, LineList


def validate_tree(root: Path) -> list[Problem]:
    """Every problem of every package directly under *root*, plus the problems between packages.

    A package is a folder holding course.yaml; anything else under *root* (README.md) is not ours.
    """
    return read_tree(root)[1]


def read_tree(root: Path) -> tuple[dict[str, RawPackage], list[Problem]]:
    """Read and check every package once: the raw packages by folder name, and every problem."""
    problems: list[Problem] = []
    packages: dict[str, RawPackage] = {}
    courses: dict[str, LineDict] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not is_junk(p.name)):
        if not (folder / COURSE_FILE).is_file():
            continue
        package, found = read_package(folder)
        packages[folder.name] = package
        problems.extend(found)
        # An unreadable course.yaml is already reported; its folder name still counts as a course,
        # so that prerequisites naming it are not reported a second time.
        courses[folder.name] = package.course if package.course is not None else _empty_course()
    slugs = _check_slugs(courses, problems)
    graph = _check_prerequisites(courses, slugs, problems)
    _check_cycles(graph, slugs, problems)
    return packages, sorted(set(problems))


def _empty_course() -> LineDict:
    course = LineDict()
    course.lines = {}
    return course


def _slug(folder: str, course: LineDict) -> str:
    return course["slug"] if isinstance(course.get("slug"), str) else folder


def _check_slugs(courses: dict[str, LineDict], problems: list[Problem]) -> dict[str, str]:
    """Map each slug to the folder that first claimed it, reporting any later claim."""
    owners: dict[str, str] = {}
    for folder, course in courses.items():
        slug = _slug(folder, course)
        if slug in owners:
            line = course.lines.get("slug", 1)
            problems.append(Problem(f"{folder}/{COURSE_FILE}", line, f"slug {slug!r} is also used by {owners[slug]}/"))
        owners.setdefault(slug, folder)
    return owners


def _check_prerequisites(courses: dict[str, LineDict], owners: dict[str, str], problems: list[Problem]) -> dict:
    """Report unknown prerequisites; return the graph slug -> [(prerequisite, folder, line)] of known ones."""
    graph: dict[str, list[tuple[str, str, int]]] = {}
    for folder, course in courses.items():
        slug = _slug(folder, course)
        prerequisites = course.get("prerequisites")
        if not isinstance(prerequisites, LineList):
            continue
        for index, required in enumerate(prerequisites):
            line = prerequisites.lines[index]
            if not isinstance(required, str) or required == slug:
                continue  # reported by the package's own checks
            if required in owners:
                graph.setdefault(slug, []).append((required, folder, line))
            else:
                problems.append(
                    Problem(f"{folder}/{COURSE_FILE}", line, f"prerequisite {required!r} is not a course here")
                )
    return graph


def _check_cycles(graph: dict, owners: dict[str, str], problems: list[Problem]) -> None:
    """Report each prerequisite cycle once, at the edge leaving its alphabetically first course."""
    reported: set[frozenset[str]] = set()
    for start in sorted(graph):
        for cycle in _cycles_from(start, graph):
            members = frozenset(cycle)
            if members in reported or min(cycle) != start:
                continue
            reported.add(members)
            line = next(line for target, _, line in graph[start] if target == cycle[1 % len(cycle)])
            path = " → ".join([*cycle, start])
            problems.append(Problem(f"{owners[start]}/{COURSE_FILE}", line, f"prerequisites form a cycle: {path}"))


def _cycles_from(start: str, graph: dict) -> list[list[str]]:
    """Every simple path from *start* that leads back to it (the graphs here have a handful of nodes)."""
    found, stack = [], [(start, [start])]
    while stack:
        node, path = stack.pop()
        for target, _, _ in graph.get(node, []):
            if target == start:
                found.append(path)
            elif target not in path:
                stack.append((target, [*path, target]))
    return found
