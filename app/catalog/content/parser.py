"""The one Markdown dialect of lessons, shared by the renderer and the validator."""

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

BLOCKS = ("callout", "case", "video", "download")


def make_parser(*, accept_every_link: bool = False) -> MarkdownIt:
    """CommonMark without raw HTML or linkify, with tables and the four ``:::`` blocks.

    The validator passes *accept_every_link* so that links markdown-it would silently drop
    (``javascript:``, ``data:``) still reach it as links and can be reported with their line.
    """
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    for name in BLOCKS:
        container_plugin(md, name, validate=_block_named(name))
    if accept_every_link:
        md.validateLink = lambda url: True
    return md


def block_argument(info: str) -> str:
    """What follows the block name on its ``:::`` line: the case title or the media target."""
    parts = info.strip().split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


def _block_named(name: str):
    def validate(params: str, *_args) -> bool:
        words = params.split()
        return bool(words) and words[0] == name

    return validate
