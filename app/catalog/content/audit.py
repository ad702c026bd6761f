"""Validation plus the cueing warnings: what `flask courses validate` reports for a package or a tree."""

from dataclasses import dataclass
from pathlib import Path

from app.catalog.content.check_svg import svg_size_warnings
from app.catalog.content.check_tree import read_tree
from app.catalog.content.cueing import cueing_warnings
from app.catalog.content.problems import Problem
from app.catalog.content.reader import read_package


@dataclass(frozen=True)
class Findings:
    """``problems`` stop a package from loading; ``warnings`` (cueing, heavy pictures) do not, unless validate is --strict."""

    problems: list[Problem]
    warnings: list[Problem]


def audit_package(folder: Path) -> Findings:
    """The problems of the package in *folder*, and its warnings once it has no problem."""
    package, problems = read_package(folder)
    return Findings(problems, [] if problems else _warnings(package))


def audit_tree(root: Path) -> Findings:
    """The problems of every package under *root* and between them, and the warnings of each valid package.

    Warnings read the YAML as validation left it, so a package with a problem of its own is skipped
    until that problem is fixed.
    """
    packages, problems = read_tree(root)
    warnings = []
    for name, package in packages.items():
        if not any(problem.path == name or problem.path.startswith(f"{name}/") for problem in problems):
            warnings += _warnings(package)
    return Findings(problems, sorted(warnings))


def _warnings(package) -> list[Problem]:
    return cueing_warnings(package) + svg_size_warnings(package.media, package.folder.name)
