"""Checks for a lesson's Markdown: no raw HTML, safe and existing targets, well-formed ::: blocks."""

import posixpath
import re
from urllib.parse import unquote

from markdown_it.token import Token

from app.catalog.content.checker import FileChecker
from app.catalog.content.parser import BLOCKS, block_argument
from app.catalog.content.problems import Problem
from app.catalog.content.rules import MEDIA_DIR

RAW_HTML = "raw HTML is not allowed"
UNSAFE_LINK = "unsafe link"

# Textual on purpose, code spans included: authors never need HTML here, and a reviewer reading a
# diff cannot tell a harmless `<br>` in backticks from a live one. A `<` right after `](` or `]: `
# opens a Markdown link destination (`[form](<media/a b.pdf>)`), which the link checks cover.
_HTML = re.compile(r"(?<!\]\()(?<!\]: )(?:<!--|<![A-Za-z\[]|<\?|</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$))")
_SCRIPT_URL = re.compile(r"javascript\s*:", re.IGNORECASE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_UNSAFE_SCHEMES = {"javascript", "vbscript", "data"}
_BLOCK_FENCE = re.compile(r"^ {0,3}(:{3,})(.*)$")
_CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def is_unsafe_markup(problem: Problem) -> bool:
    """Whether *problem* is raw HTML or a script link: what an archive import refuses outright."""
    return problem.message.startswith((RAW_HTML, UNSAFE_LINK))


def check_markdown(body: str, tokens: list[Token], first_line: int, ck: FileChecker, media: set[str]) -> None:
    """Check a lesson body, as text and as its ``parser.parse`` *tokens*; it starts on .md line *first_line*."""
    lines = body.split("\n")
    _check_raw_html(lines, first_line, ck)
    _check_blocks(lines, first_line, ck, media)
    _check_links(tokens, first_line, ck, media)


def check_target(url: str, line: int, kind: str, ck: FileChecker, media: set[str]) -> None:
    """A link, image, video or download target: https:// (mailto: for links) or an existing media file."""
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    if scheme in _UNSAFE_SCHEMES:
        ck.problem(line, f"{UNSAFE_LINK}: '{scheme}:' targets are not allowed")
    elif url.startswith("#") and kind == "link":
        return
    elif scheme or url.startswith("//"):
        if kind == "download":
            ck.problem(line, f"download target {url!r} must be a file under media/")
        elif not (scheme == "https" or (scheme == "mailto" and kind == "link")):
            ck.problem(
                line, f"{kind} target {url!r} must be an https:// link" + (" or mailto:" if kind == "link" else "")
            )
    else:
        _check_media_path(url, line, kind, ck, media)


def _check_media_path(url: str, line: int, kind: str, ck: FileChecker, media: set[str]) -> None:
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    normal = posixpath.normpath(path) if path else ""
    if "\\" in path or path.startswith("/") or normal == ".." or normal.startswith("../"):
        ck.problem(line, f"{kind} target {url!r} points outside the package")
    elif not normal.startswith(f"{MEDIA_DIR}/"):
        ck.problem(line, f"{kind} target {url!r} must be a file under media/ or an https:// link")
    elif normal not in media:
        ck.problem(line, f"{kind} target {url!r} does not exist in the package's media/ folder")


def _check_raw_html(lines: list[str], first_line: int, ck: FileChecker) -> None:
    for number, text in enumerate(lines, start=first_line):
        if match := _HTML.search(text):
            ck.problem(number, f"{RAW_HTML} (found {match.group()!r}); use Markdown instead")
        if _SCRIPT_URL.search(text):
            ck.problem(number, f"{UNSAFE_LINK}: 'javascript:' targets are not allowed")


def _check_links(tokens: list[Token], first_line: int, ck: FileChecker, media: set[str]) -> None:
    for token in tokens:
        if token.type != "inline" or not token.children or token.map is None:
            continue
        line = first_line + token.map[0]
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                check_target(str(child.attrGet("href") or ""), line, "link", ck, media)
            elif child.type == "image":
                if not "".join(grandchild.content for grandchild in child.children or []).strip():
                    ck.problem(line, "image needs alternative text: write it between ![ and ]")
                check_target(str(child.attrGet("src") or ""), line, "image", ck, media)


def _closes_code(text: str, fence: str) -> bool:
    stripped = text.strip()
    return stripped.startswith(fence) and set(stripped) == {fence[0]}


class _Block:
    def __init__(self, name: str, colons: int, line: int, argument: str):
        self.name, self.colons, self.line, self.argument = name, colons, line, argument
        self.has_body = False


def _check_blocks(lines: list[str], first_line: int, ck: FileChecker, media: set[str]) -> None:
    """Pair ``:::`` lines the way the container plugin does, so what we accept renders as written.

    The plugin ends a block at the first bare fence at least as long as its opening one, even when an
    inner block is still open: a nested block therefore needs a longer fence (``::::``) outside it.
    """
    open_blocks: list[_Block] = []
    code_fence = None
    for number, text in enumerate(lines, start=first_line):
        if code_fence:
            code_fence = None if _closes_code(text, code_fence) else code_fence
            continue
        if match := _CODE_FENCE.match(text):
            code_fence = match.group(1)
        match = _BLOCK_FENCE.match(text)
        if not match:
            if text.strip():
                for block in open_blocks:
                    block.has_body = True
            continue
        colons, rest = len(match.group(1)), match.group(2).strip()
        if rest:
            for block in open_blocks:
                block.has_body = True
            open_blocks.append(_open_block(rest, colons, number, ck, media))
        else:
            _close_block(open_blocks, colons, number, ck)
    for block in open_blocks:
        ck.problem(block.line, f"'::: {block.name}' block is never closed: end it with a ':::' line")


def _open_block(rest: str, colons: int, line: int, ck: FileChecker, media: set[str]) -> _Block:
    name, argument = rest.split()[0], block_argument(rest)
    if name not in BLOCKS:
        ck.problem(line, f"unknown block '::: {name}'; use one of {', '.join(BLOCKS)}")
    elif name == "callout" and argument:
        ck.problem(line, "'::: callout' takes nothing after its name")
    elif name == "case" and not argument:
        ck.problem(line, "'::: case' needs a title after its name")
    elif name in ("video", "download"):
        _check_block_target(name, argument, line, ck, media)
    return _Block(name, colons, line, argument)


def _check_block_target(name: str, argument: str, line: int, ck: FileChecker, media: set[str]) -> None:
    what = "a media/ file or an https:// link" if name == "video" else "a media/ file"
    if not argument or len(argument.split()) > 1:
        ck.problem(line, f"'::: {name}' needs exactly one target after its name: {what}")
    else:
        check_target(argument, line, name, ck, media)


def _close_block(open_blocks: list[_Block], colons: int, line: int, ck: FileChecker) -> None:
    closes = next((i for i, block in enumerate(open_blocks) if block.colons <= colons), None)
    if closes is None:
        ck.problem(line, "this ':::' line closes no block")
        return
    for inner in open_blocks[closes + 1 :]:
        ck.problem(
            inner.line,
            f"'::: {inner.name}' block is cut short by the ':::' on line {line} that closes "
            f"'::: {open_blocks[closes].name}'; give the outer block a longer fence (::::)",
        )
    closed = open_blocks[closes]
    del open_blocks[closes:]
    if closed.name == "video" and not closed.has_body:
        ck.problem(closed.line, "'::: video' needs its transcript as the block's text")
