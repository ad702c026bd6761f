"""Web addresses in plain text: listed for the console, made clickable where the text is shown as HTML."""

import re

from markupsafe import Markup, escape

# An address runs to the next space, angle bracket or double quote. Jinja's urlize would also link bare
# domains and e-mail addresses; here only what is written as an http(s) address becomes a link.
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
# Punctuation that closes a sentence around an address rather than belonging to it.
_CLOSING_PUNCTUATION = ".,;:!?)]}'"


def find_urls(text: str) -> list[str]:
    """Every http(s) address in *text*, in order."""
    return [_trimmed(match.group()) for match in _URL.finditer(text or "")]


def link_urls(text: str) -> Markup:
    """*text* escaped as HTML, with each http(s) address in it made a link to itself; nothing else is trusted."""
    text = text or ""
    parts, done = [], 0
    for match in _URL.finditer(text):
        url = _trimmed(match.group())
        parts.append(escape(text[done : match.start()]))
        # .secret: a link carrying a token is one long word, broken anywhere to fit a phone's screen.
        parts.append(Markup('<a class="secret" href="{0}" rel="noreferrer">{0}</a>').format(url))
        done = match.start() + len(url)
    parts.append(escape(text[done:]))
    return Markup("").join(parts)


def _trimmed(url: str) -> str:
    return url.rstrip(_CLOSING_PUNCTUATION)
