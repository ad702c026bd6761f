"""Reading and checking one lesson file: its front matter and its Markdown body."""

from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from app.catalog.content.check_markdown import check_markdown
from app.catalog.content.checker import FileChecker
from app.catalog.content.context import PackageContext
from app.catalog.content.parser import parse
from app.catalog.content.yaml_lines import LineDict, load_yaml


@dataclass
class LessonFile:
    """One language of a lesson as read from disk; ``front`` is None when it could not be used."""

    front: LineDict | None
    body: str
    tokens: list[Token]  # the body parsed once: the checks read it, and the renderer reuses it


def read_lesson(path: Path, ctx: PackageContext) -> LessonFile | None:
    """Read and check one .md lesson; the body is checked even when the front matter is wrong."""
    text = ctx.read(path)
    if text is None:
        return None
    ck = ctx.checker(path)
    parts = split_front_matter(text)
    if parts is None:
        ck.problem(1, "a lesson must start with front matter between two '---' lines (title, minutes, objectives)")
        return None
    front_text, body, body_line = parts
    reported = len(ctx.problems)
    front = load_yaml(front_text, ck.problem, first_line=2)
    if not isinstance(front, LineDict):
        if len(ctx.problems) == reported:
            ck.problem(1, "front matter must be a mapping with title, minutes and objectives")
        front = None
    else:
        _check_front_matter(front, ck)
    tokens = parse(body)
    check_markdown(body, tokens, body_line, ck, ctx.media)
    return LessonFile(front, body, tokens)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, file line the body starts on), or None if the file has no front matter."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


def _check_front_matter(front: LineDict, ck: FileChecker) -> None:
    ck.keys(front, ("title", "minutes", "objectives"))
    ck.string(front, "title")
    ck.integer(front, "minutes", minimum=1)
    objectives = ck.sequence(front, "objectives")
    for index, objective in enumerate(objectives or []):
        if not isinstance(objective, str) or not objective.strip():
            ck.problem(objectives.lines[index], f"objective {index + 1} must be a non-empty sentence")
