"""The state shared while one package is checked: its folder, its problems and its media files."""

from pathlib import Path
from typing import Any

from app.catalog.content.checker import FileChecker, describe
from app.catalog.content.files import read_text
from app.catalog.content.problems import Problem
from app.catalog.content.yaml_lines import LineDict, LineList, load_yaml


class PackageContext:
    """One package being validated; every problem path is written relative to its parent folder."""

    def __init__(self, folder: Path, media: set[str]):
        self.folder = folder
        self.media = media
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        relative = path.relative_to(self.folder).as_posix()
        return self.folder.name if relative == "." else f"{self.folder.name}/{relative}"

    def checker(self, path: Path) -> FileChecker:
        return FileChecker(self.problems, self.rel(path))

    def file_problem(self, path: Path, message: str = "file is missing") -> None:
        """A problem about a whole file or folder (line 0): most often that it is missing."""
        self.problems.append(Problem(self.rel(path), 0, message))

    def read(self, path: Path) -> str | None:
        """The file's text, or None after reporting why it cannot be used."""
        if not path.is_file():
            self.file_problem(path)
            return None
        text, bad_line = read_text(path)
        if text is None:
            self.checker(path).problem(bad_line, "file is not valid UTF-8 text")
        return text

    def read_yaml(self, path: Path, shape: type[LineDict] | type[LineList] = LineDict) -> Any:
        """The parsed file if it holds a mapping (or list, by *shape*); else None, the reason reported."""
        text = self.read(path)
        if text is None:
            return None
        checker = self.checker(path)
        reported = len(self.problems)
        data = load_yaml(text, checker.problem)
        if data is None and len(self.problems) > reported:
            return None  # a syntax error, already reported
        if isinstance(data, shape):
            return data
        what = "a mapping of keys and values" if shape is LineDict else "a list"
        checker.problem(getattr(data, "line", 1), f"the file must hold {what}, not {describe(data)}")
        return None
