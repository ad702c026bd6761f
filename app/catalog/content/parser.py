"""The one Markdown dialect of lessons: a body is parsed once, and checked and rendered from the same tokens."""

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

BLOCKS = ("callout", "case", "video", "download")


def make_parser() -> MarkdownIt:
    """CommonMark without raw HTML or linkify, with tables and the four ``:::`` blocks.

    Every link is accepted so that those markdown-it would silently drop (``javascript:``, ``data:``)
    still reach the validator as links and can be reported with their line. The renderer can take the
    same tokens: it only renders lessons that passed validation, and nh3's scheme allow-list strips
    whatever unsafe link is handed to it anyway.
    """
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    for name in BLOCKS:
        container_plugin(md, name, validate=_block_named(name))
    md.core.ruler.after("block", "inline_download_text", _inline_download_text)
    md.validateLink = lambda url: True
    return md


def parse(text: str) -> list[Token]:
    """The tokens of a lesson body, for both the checks and the renderer."""
    return _PARSER.parse(text)


def block_argument(info: str) -> str:
    """What follows the block name on its ``:::`` line: the case title or the media target."""
    parts = info.strip().split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


def _block_named(name: str):
    def validate(params: str, *_args) -> bool:
        words = params.split()
        return bool(words) and words[0] == name

    return validate


def _inline_download_text(state) -> None:
    """Hide the paragraphs inside ``::: download`` so its description joins the link in one <p>.

    A parse rule although it only serves the renderer, since the renderer reuses the validator's tokens.
    """
    depth = 0
    for token in state.tokens:
        if token.type == "container_download_open":
            depth += 1
        elif token.type == "container_download_close":
            depth -= 1
        elif depth and token.type in ("paragraph_open", "paragraph_close"):
            token.hidden = True


_PARSER = make_parser()
