"""The course outline beside the learner's pages, and the address of each item in it.

A course lists dozens of items and every learner page shows them all. From one learner or page to
the next only what is done, which item is open and the enrolment's address change, so the HTML of
each item is kept, per version and language, in every state it can be in; a page picks and joins.
"""

from dataclasses import dataclass

from flask import g, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.catalog.models import localised
from app.core.i18n import current_language

# Stands for the enrolment's address (/learning/<id>) in the kept HTML; replaced once per page.
_HOME = "\x00"


def home_url(enrolment) -> str:
    """The enrolment's address, built once per request: a learner's page links to it from the back
    link, the pager and the outline."""
    kept = g.get(_HOMES)
    if kept is None:
        kept = {}
        setattr(g, _HOMES, kept)
    home = kept.get(enrolment.id)
    if home is None:
        home = kept[enrolment.id] = url_for("learning.course_home", enrolment_id=enrolment.id)
    return home


_HOMES = "_academy_enrolment_homes"


def item_url(enrolment, item) -> str:
    """The address of an item of the enrolment's progress; no item means the course's home."""
    home = home_url(enrolment)
    return home + _path(item) if item is not None else home


def lesson_url(enrolment, key: str) -> str:
    """The address of the lesson *key* ("module/lesson") of the enrolment's course."""
    return home_url(enrolment) + _lesson_path(key)


def render(enrolment, progress, current=None) -> Markup:
    """The outline as HTML, marking what is done and the item *current* (a lesson key or activity id)."""
    parts = _parts_for(enrolment, progress)
    html = ['<ol class="outline">']
    for module, (heading, items) in zip(progress.modules, parts.modules, strict=True):
        html.append(heading[module.is_done])
        html += [states[item.is_done][item.ref == current] for item, states in zip(module.items, items, strict=True)]
        html.append("</ul></li>")
    if progress.final:
        html.append(parts.final[progress.final.is_done][progress.final.ref == current])
    html.append("</ol>")
    home = home_url(enrolment)
    return Markup("".join(html).replace(_HOME, str(escape(home))))  # noqa: S704 - every part was escaped when kept


@dataclass(frozen=True)
class _Parts:
    modules: list  # per module: (heading HTML [not done, done], per item HTML [is_done][is_current])
    final: list | None  # the final assessment's HTML [is_done][is_current]


_kept: dict[tuple, _Parts] = {}


def _parts_for(enrolment, progress) -> _Parts:
    """A published version never changes: its parts are kept per (version id, content hash, language)."""
    key = (enrolment.version_id, enrolment.version_hash, current_language())
    parts = _kept.get(key)
    if parts is None:
        if len(_kept) >= 64:
            _kept.clear()
        # Made from this learner's progress, reading only what is the same for every learner.
        parts = _kept[key] = _parts(progress, key[2])
    return parts


def _parts(progress, language: str) -> _Parts:
    words = {
        "done": escape(_("done")),
        "optional": escape(_("optional")),
        "knowledge_check": _("Knowledge check"),
        "dilemma": _("Dilemma"),
        "reflection": _("Reflection (private)"),
        "pledge": _("Integrity pledge"),
    }
    modules = []
    for module in progress.modules:
        heading = f'<li><span class="outline-module">{escape(localised(module.title, language))}'
        tag = f' <span class="tag tag-success">{words["done"]}</span>'
        items = [_item_states(item, language, words) for item in module.items]
        modules.append(([f"{heading}</span><ul>", f"{heading}{tag}</span><ul>"], items))
    final = None
    if progress.final:
        passed = f'<span class="status-done">✓ <span class="visually-hidden">{escape(_("passed"))}</span></span>'
        final = [
            [
                f'<li><a href="{_HOME}{_path(progress.final)}"{_current(is_current)}>'
                f'{escape(_("Final assessment"))}</a> {passed if is_done else ""}</li>'
                for is_current in (False, True)
            ]
            for is_done in (False, True)
        ]
    return _Parts(modules, final)


def _item_states(item, language: str, words: dict) -> list:
    label = localised(item.title, language) if item.kind == "lesson" else words[item.activity_kind]
    status = (
        "" if item.is_required else f'<span class="muted">({words["optional"]})</span>',
        f'<span class="status-done">✓ <span class="visually-hidden">{words["done"]}</span></span>',
    )
    return [
        [
            f'<li class="{_classes(is_done, is_current)}"><a href="{_HOME}{escape(_path(item))}"'
            f"{_current(is_current)}>{escape(label)}</a> {status[is_done]}</li>"
            for is_current in (False, True)
        ]
        for is_done in (False, True)
    ]


def _path(item) -> str:
    if item.kind == "lesson":
        return _lesson_path(item.ref)
    if item.kind == "activity":
        return f"/activities/{item.ref}"
    return "/assessment"


def _lesson_path(key: str) -> str:
    return f"/lessons/{key}"


def _classes(is_done: bool, is_current: bool) -> str:
    return " ".join(name for name, on in (("is-done", is_done), ("is-current", is_current)) if on)


def _current(is_current: bool) -> str:
    return ' aria-current="page"' if is_current else ""
