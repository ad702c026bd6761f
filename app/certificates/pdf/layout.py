"""Where each element of the certificate sits on the page, and how a string is fitted into its box."""

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

if TYPE_CHECKING:
    from app.certificates.pdf.sheets import CertificateSheet

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)

SERIF, SERIF_BOLD, SANS, SANS_BOLD = "CertSerif", "CertSerif-Bold", "CertSans", "CertSans-Bold"
_FONT_FILES = {
    SERIF: "DejaVuSerif.ttf",
    SERIF_BOLD: "DejaVuSerif-Bold.ttf",
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
}
_FONT_DIR = Path(__file__).with_name("fonts")

INK, ACCENT, GOLD, MUTED = "#1b1f23", "#7a1712", "#a8894f", "#5b6168"

# Two frames; nothing else is drawn between the page edge and MARGIN, so a test can prove no text overflows.
OUTER_FRAME, INNER_FRAME, MARGIN = 22, 30, 46

# Bidi controls would let a name reorder the line it sits on; they are removed, letters never are.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_ELLIPSIS = "…"
# How far glyphs reach, in ems: accented capitals 0.93 and stacked Vietnamese marks 1.05 above the baseline,
# descenders 0.24 below it. ReportLab's ascent (0.76) is the typographic one, which accents rise above.
_INK_ASCENT, _INK_DESCENT = 1.06, 0.30
OVERHANG = 0.15  # ems a glyph may reach sideways past its advance width; neighbouring boxes leave room for it


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class TextStyle:
    font: str
    size: float  # preferred size
    min_size: float  # a single line shrinks to this before the text wraps
    max_lines: int = 1
    floor_size: float = 6.0  # wrapped text shrinks further only if max_lines are still not enough
    leading: float = 1.22
    colour: str = INK


@dataclass(frozen=True)
class Slot:
    box: Box
    style: TextStyle
    space_before: float = 0  # only inside the CENTRE stack


@dataclass(frozen=True)
class FittedText:
    lines: tuple[str, ...]
    size: float
    style: TextStyle

    @property
    def height(self) -> float:
        """From the top of the first line's accents to the bottom of the last line's descenders."""
        return self.size * (_INK_ASCENT + _INK_DESCENT + self.style.leading * (len(self.lines) - 1))

    def baselines(self, box: Box) -> list[float]:
        """Baselines that centre the block of lines vertically in *box*."""
        first = box.top - (box.height - self.height) / 2 - self.size * _INK_ASCENT
        return [first - self.size * self.style.leading * index for index in range(len(self.lines))]


HEADING = Slot(Box(90, 474, 662, 58), TextStyle(SERIF_BOLD, 25, 17, max_lines=2, colour=ACCENT))
HEADING_RULE_Y, HEADING_RULE_WIDTH = 468, 150

# The middle of the page: each slot's box gives its width and greatest height; the slots are stacked,
# each as tall as its text, and the stack is centred vertically in CENTRE.
CENTRE = Box(66, 246, 710, 218)
PRESENTED_TO = Slot(Box(90, 0, 662, 20), TextStyle(SERIF, 13, 10, colour=MUTED))
HOLDER_NAME = Slot(Box(66, 0, 710, 86), TextStyle(SERIF_BOLD, 34, 22, max_lines=3), space_before=10)
HOLDER_DETAIL = Slot(Box(90, 0, 662, 20), TextStyle(SANS, 12, 9, colour=MUTED), space_before=4)
STATEMENT = Slot(Box(106, 0, 630, 62), TextStyle(SERIF, 13.5, 10.5, max_lines=4), space_before=16)

FACTS = Box(62, 150, 340, 92)  # one row per fact: the label, then the value at FACT_LABEL_WIDTH
FACT_LABEL = TextStyle(SANS_BOLD, 8, 6, colour=MUTED)
FACT_VALUE = TextStyle(SANS, 10, 6.5)
FACT_LABEL_WIDTH, FACT_ROW_HEIGHT = 128, 15.5

ISSUERS = Box(62, 56, 560, 82)  # a column per issuer: a signature rule along the top, the issuer's lines below
ISSUER_TEXT = TextStyle(SANS, 9, 9, max_lines=5, floor_size=5.5)
ISSUER_COLUMN_MAX, ISSUER_GUTTER, ISSUER_RULE_GAP, ISSUER_RULE_INSET = 250, 22, 8, 10

QR_CODE = Box(660, 116, 112, 112)  # includes the four-module quiet zone
SERIAL = Slot(Box(634, 97, 160, 16), TextStyle(SANS_BOLD, 9.5, 6.5))
VERIFY_CAPTION = Slot(Box(634, 83, 160, 13), TextStyle(SANS, 7.5, 6, colour=MUTED))
VERIFY_URL = Slot(Box(634, 52, 160, 31), TextStyle(SANS, 7, 6, max_lines=3, floor_size=4.5, colour=MUTED))


@dataclass(frozen=True)
class Placed:
    """A string fitted and given its final box; the renderer draws it, the tests measure it."""

    box: Box
    text: FittedText
    align: str = "centre"


def place(sheet: "CertificateSheet") -> list[Placed]:
    """Every string of *sheet* in its box. Boxes never overlap and stay inside MARGIN, whatever the strings."""
    placed = [_placed(HEADING, sheet.heading)]
    placed += _stack(
        (
            (PRESENTED_TO, sheet.presented_to),
            (HOLDER_NAME, sheet.holder_name),
            (HOLDER_DETAIL, sheet.holder_detail or ""),
            (STATEMENT, sheet.statement),
        )
    )
    placed += _facts(sheet.facts)
    placed += _issuers(sheet.issuers)
    placed += [
        _placed(slot, text)
        for slot, text in (
            (SERIAL, sheet.serial),
            (VERIFY_CAPTION, sheet.verify_caption),
            (VERIFY_URL, sheet.verify_url),
        )
    ]
    return [item for item in placed if item.text.lines]


def issuer_columns(count: int) -> list[Box]:
    """Equal columns, one per issuer, centred in ISSUERS."""
    if not count:
        return []
    width = min(ISSUER_COLUMN_MAX, (ISSUERS.width - ISSUER_GUTTER * (count - 1)) / count)
    left = ISSUERS.centre - (width * count + ISSUER_GUTTER * (count - 1)) / 2
    return [Box(left + index * (width + ISSUER_GUTTER), ISSUERS.y, width, ISSUERS.height) for index in range(count)]


@cache
def register_fonts() -> None:
    """Parse the bundled TrueType fonts once per process; each PDF embeds only the glyphs it uses."""
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, _FONT_DIR / filename))


def clean(text: str) -> str:
    """*text* for display: bidi and other control characters removed, whitespace runs made single spaces."""
    text = text.translate(_BIDI_CONTROLS)
    text = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    return " ".join(text.split())


def fit(text: str, style: TextStyle, box: Box) -> FittedText:
    """Fit *text* into *box*: shrink one line to min_size, then wrap onto up to max_lines, then shrink to floor_size.

    Only text that fits nowhere, not even at floor_size (or less, in a box too short for it), loses its end to
    an ellipsis.
    """
    register_fonts()
    text = clean(text)
    if not text:
        return FittedText((), style.size, style)
    size = min(style.size, box.width / max(_width(text, style.font, 1), 1e-6), _tallest(style, box, 1))
    size = _step_down(size)
    if size >= style.min_size:
        return FittedText((text,), size, style)
    size = _step_down(min(style.min_size, _tallest(style, box, style.max_lines)))
    while size >= style.floor_size:
        lines = _wrap(text, style.font, size, box.width)
        if len(lines) <= style.max_lines:
            return FittedText(tuple(_balance(text, style.font, size, box.width, len(lines))), size, style)
        size -= 0.5
    size = max(min(style.floor_size, _step_down(_tallest(style, box, style.max_lines))), 0.5)
    lines = _wrap(text, style.font, size, box.width)
    if len(lines) > style.max_lines:
        lines = [*lines[: style.max_lines - 1], _ellipsise(lines[style.max_lines - 1], style.font, size, box.width)]
    return FittedText(tuple(lines), size, style)


def text_width(text: str, font: str, size: float) -> float:
    register_fonts()
    return _width(text, font, size)


def _placed(slot: Slot, text: str) -> Placed:
    return Placed(slot.box, fit(text, slot.style, slot.box))


def _stack(slots: tuple[tuple[Slot, str], ...]) -> list[Placed]:
    fitted = [(slot, fit(text, slot.style, slot.box)) for slot, text in slots]
    fitted = [(slot, text) for slot, text in fitted if text.lines]
    total = sum(text.height for _, text in fitted) + sum(slot.space_before for slot, _ in fitted[1:])
    top = CENTRE.top - (CENTRE.height - total) / 2
    placed = []
    for index, (slot, text) in enumerate(fitted):
        top -= slot.space_before if index else 0
        placed.append(Placed(Box(slot.box.x, top - text.height, slot.box.width, text.height), text))
        top -= text.height
    return placed


def _facts(facts: tuple[tuple[str, str], ...]) -> list[Placed]:
    row = min(FACT_ROW_HEIGHT, FACTS.height / max(len(facts), 1))
    placed = []
    for index, (label, value) in enumerate(facts):
        y = FACTS.top - row * (index + 1)
        label_box = Box(FACTS.x, y, FACT_LABEL_WIDTH - 8, row)
        value_box = Box(FACTS.x + FACT_LABEL_WIDTH, y, FACTS.width - FACT_LABEL_WIDTH, row)
        placed.append(Placed(label_box, fit(label, FACT_LABEL, label_box), "left"))
        placed.append(Placed(value_box, fit(value, FACT_VALUE, value_box), "left"))
    return placed


def _issuers(issuers: tuple[str, ...]) -> list[Placed]:
    """Each issuer's lines hang from just under the column's signature rule."""
    placed = []
    for issuer, column in zip(issuers, issuer_columns(len(issuers)), strict=True):
        room = Box(column.x, column.y, column.width, column.height - ISSUER_RULE_GAP)
        text = fit(issuer, ISSUER_TEXT, room)
        placed.append(Placed(Box(room.x, room.top - text.height, room.width, text.height), text))
    return placed


def _width(text: str, font: str, size: float) -> float:
    return _unit_width(text, font) * size


@lru_cache(maxsize=4096)
def _unit_width(text: str, font: str) -> float:
    """Width at size 1; words and letters repeat from one certificate to the next, so they are remembered."""
    return pdfmetrics.stringWidth(text, font, 1)


def _tallest(style: TextStyle, box: Box, lines: int) -> float:
    """The largest size at which *lines* lines of *style* stay within the box's height."""
    return box.height / (_INK_ASCENT + _INK_DESCENT + style.leading * (lines - 1))


def _step_down(size: float) -> float:
    return int(size * 2) / 2


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap. Widths add up (ReportLab does not kern), so each word is measured once."""
    space = _width(" ", font, size)
    lines, current, current_width = [], "", 0.0
    for word in text.split(" "):
        word_width = _width(word, font, size)
        if current and current_width + space + word_width <= width:
            current, current_width = f"{current} {word}", current_width + space + word_width
            continue
        if current:
            lines.append(current)
        pieces = [word] if word_width <= width else _split_word(word, font, size, width)
        lines.extend(pieces[:-1])
        current, current_width = pieces[-1], _width(pieces[-1], font, size)
    lines.append(current)
    return lines


def _split_word(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than the box, broken after its last fitting slash, else hyphen, else between characters,
    but never before a combining mark. Slashes first: text extractors join a line ending in a hyphen."""
    pieces, current, current_width = [], "", 0.0
    for char in word:
        char_width = _width(char, font, size)
        if current and not unicodedata.combining(char) and current_width + char_width > width:
            cut = (current.rfind("/") + 1) or (current.rfind("-") + 1)
            if not 0 < cut < len(current) or _width(current[cut:] + char, font, size) > width:
                cut = len(current)
            pieces.append(current[:cut])
            current = current[cut:]
            current_width = _width(current, font, size)
        current += char
        current_width += char_width
    pieces.append(current)
    return pieces


def _balance(text: str, font: str, size: float, width: float, count: int) -> list[str]:
    """The same number of lines, of more even length: the narrowest width that still needs only *count* lines."""
    lines = _wrap(text, font, size, width)
    if count == 1:
        return lines
    widest_word = max(_width(word, font, size) for word in text.split(" "))
    narrow, wide = max(width / count, min(widest_word, width)), width
    for _ in range(8):
        middle = (narrow + wide) / 2
        if len(_wrap(text, font, size, middle)) <= count:
            wide = middle
        else:
            narrow = middle
    return _wrap(text, font, size, wide)


def _ellipsise(line: str, font: str, size: float, width: float) -> str:
    while line and _width(line + _ELLIPSIS, font, size) > width:
        line = line[:-1]
    return line + _ELLIPSIS
