"""Lesson Markdown to safe HTML: markdown-it for the shapes, nh3 as the final allow-list."""

import posixpath
import re
from collections.abc import Callable
from urllib.parse import unquote

import nh3
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from app.catalog.content.parser import block_argument, make_parser, parse
from app.catalog.content.rules import MEDIA_DIR

DEFAULT_LABELS = {
    "video": "Watch the video",
    "transcript": "Transcript",
    "download": "Download",
    "table": "Table (scrolls sideways on a small screen)",
}

_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "img", "blockquote", "code", "pre", "table",
    "thead", "tbody", "tr", "th", "td", "hr", "br", "figure", "figcaption", "aside", "section", "details", "summary",
    "div", "span",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title", "download"},  # download: the ::: download block's <a download> link
    "img": {"src", "alt", "loading", "width", "height"},
    "ol": {"start"},  # a list that starts at 3 must still say 3
    # A lesson's table scrolls inside a focusable, named region on a narrow screen (keyboard users can scroll it).
    "div": {"class", "aria-label"},  # role and tabindex: only the values in tag_attribute_values
    "span": {"class"},
}
# The block shapes' classes, and nothing else, survive on these tags.
_CLASSES = {"aside": {"callout"}, "section": {"case"}, "figure": {"video"}, "p": {"download"}}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def render_markdown(text: str, *, media_url: Callable[[str], str], labels: dict[str, str] | None = None) -> str:
    """Render lesson Markdown to HTML that is safe to show as is.

    markdown-it never emits raw HTML (``html=False``); nh3 then removes anything outside the
    allow-list, so a bug in a render rule or a hostile *media_url* cannot open a hole either. That
    includes ``javascript:`` links: the shared parser keeps them as links for the validator to report.
    *labels* carries the translated "Watch the video", "Transcript", "Download" and table region texts.
    """
    return render_tokens(parse(text), media_url=media_url, labels=labels)


def render_tokens(
    tokens: list[Token], *, media_url: Callable[[str], str], labels: dict[str, str] | None = None
) -> str:
    """render_markdown for a body already parsed by ``parser.parse``, as the validator left it.

    The tokens are not modified, so the same ones can be rendered again, with another *media_url*.
    """
    env = {"media_url": media_url, "labels": {**DEFAULT_LABELS, **(labels or {})}}
    return nh3.clean(
        _MD.renderer.render(tokens, _MD.options, env),
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        tag_attribute_values={"a": {"rel": {"noopener"}}, "div": {"role": {"region"}, "tabindex": {"0"}}},
        link_rel=None,
        allowed_classes=_CLASSES,
        # http only for a media_url on a development host; the validator holds authors to https.
        url_schemes={"https", "http", "mailto"},
        strip_comments=True,
    )


def _resolve(target: str, env: dict) -> str:
    """Media paths go through the app's media_url; anything else is left for nh3 to judge."""
    if _SCHEME.match(target) or target.startswith(("/", "#")):
        return target
    path = posixpath.normpath(unquote(target.split("#", 1)[0]))
    return env["media_url"](path) if path.startswith(f"{MEDIA_DIR}/") else target


def _is_external(url: str) -> bool:
    return url.lower().startswith(("https:", "http:", "//"))


def _image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    src = _resolve(str(token.attrGet("src") or ""), env)
    alt = self.renderInlineAsText(token.children or [], options, env)
    return f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}" loading="lazy">'


def _link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    href = _resolve(str(token.attrGet("href") or ""), env)
    attrs = {**token.attrs, "href": href}
    if _is_external(href):
        attrs["rel"] = "noopener"
    # A changed copy, not attrSet: the tokens are shared and may be rendered again with another media_url.
    return f"<a{self.renderAttrs(token.copy(attrs=attrs))}>"


def _callout(self, tokens, idx, options, env) -> str:
    return '<aside class="callout">\n' if tokens[idx].nesting == 1 else "</aside>\n"


def _case(self, tokens, idx, options, env) -> str:
    if tokens[idx].nesting == -1:
        return "</section>\n"
    return f'<section class="case"><h3>{escapeHtml(block_argument(tokens[idx].info))}</h3>\n'


def _video(self, tokens, idx, options, env) -> str:
    if tokens[idx].nesting == -1:
        return "</details></figure>\n"
    labels, target = env["labels"], block_argument(tokens[idx].info)
    # A link, not a <video>: nothing plays by itself and the transcript is always there instead.
    link = f'<a href="{escapeHtml(_resolve(target, env))}">{escapeHtml(labels["video"])}</a>\n' if target else ""
    return f'<figure class="video">{link}<details><summary>{escapeHtml(labels["transcript"])}</summary>\n'


def _download(self, tokens, idx, options, env) -> str:
    if tokens[idx].nesting == -1:
        return "</p>\n"
    target = block_argument(tokens[idx].info)
    name = posixpath.basename(unquote(target)) or target
    title = escapeHtml(env["labels"]["download"])
    link = f'<a href="{escapeHtml(_resolve(target, env))}" download title="{title}">{escapeHtml(name)}</a>'
    has_description = tokens[idx + 1].type != "container_download_close"
    return f'<p class="download">{link}{" — " if has_description else ""}'


def _table(self, tokens, idx, options, env) -> str:
    if tokens[idx].nesting == -1:
        return "</table></div>\n"
    label = escapeHtml(env["labels"]["table"])
    return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}"><table>\n'


def _make_renderer():
    """Only the renderer and options of this instance are used: the tokens come from ``parser.parse``."""
    md = make_parser()
    for name, rule in (
        ("image", _image),
        ("link_open", _link_open),
        ("container_callout", _callout),
        ("container_case", _case),
        ("container_video", _video),
        ("container_download", _download),
        ("table_open", _table),
        ("table_close", _table),
    ):
        if name.startswith("container_"):
            md.add_render_rule(f"{name}_open", rule)
            md.add_render_rule(f"{name}_close", rule)
        else:
            md.add_render_rule(name, rule)
    return md


_MD = _make_renderer()
