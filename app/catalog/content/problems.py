"""What the validator reports: one Problem per mistake, each pointing at a file and line."""

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in a package.

    ``path`` is relative to the package folder's parent (``citizen-integrity/course.yaml``) so that a
    whole tree of problems reads unambiguously. ``line`` is 1-based; 0 means the problem concerns the
    file or folder as a whole (most often: it is missing), not one of its lines.
    """

    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


class PackageInvalid(Exception):
    """load_package refused a package; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the course package")
        self.problems = problems
