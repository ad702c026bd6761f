"""A string fitted into its box with ReportLab: one line if it fits, else a Paragraph, shrunk by KeepInFrame if need be."""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepInFrame, Paragraph

# Bidi controls would let a name reorder the line it sits on; they are removed, letters never are.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
# How far glyphs reach, in ems: accented capitals 0.93 and stacked Vietnamese marks 1.05 above the baseline,
# descenders 0.24 below it. ReportLab sets a first baseline one em under the top of its box and lines a
# leading apart, so accents rise above that box and descenders hang below it: each box leaves room for both.
INK_ASCENT, INK_DESCENT = 1.06, 0.30
OVERHANG = 0.15  # ems a glyph may reach sideways past its advance width; neighbouring boxes leave room for it
_BALANCE_PRECISION = 2  # points: how close evening out a wrapped text's lines gets to the narrowest width
_UNBOUNDED = 0x7FFFFFFF  # the height offered when only the number of lines is wanted


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
    min_size: float  # one line shrinks to this before the text wraps; wrapped text shrinks further only to fit
    colour: str
    leading: float = 1.22
    align: str = "centre"  # or "left"


@dataclass(frozen=True, eq=False)
class FittedText:
    """A string set at one size, as a ReportLab flowable already wrapped to its width."""

    flowable: Flowable
    style: TextStyle
    size: float  # the size it was set at; KeepInFrame draws a text that needed shrinking smaller still
    lines: int
    width: float  # what the lines take, at most the box's width

    @property
    def height(self) -> float:
        """From the top of the first line's accents to the bottom of the last line's descenders."""
        return self.flowable.height + self.size * (INK_ASCENT + INK_DESCENT - self.style.leading)

    def draw_on(self, canvas: Canvas, box: Box) -> None:
        """Draw the text centred vertically in *box*, and centred in it or against its left edge."""
        top = box.top - (box.height - self.height) / 2 - self.size * (INK_ASCENT - 1)
        x = box.centre - self.width / 2 if self.style.align == "centre" else box.x
        self.flowable.drawOn(canvas, x, top - self.flowable.height)


def fit(text: str, style: TextStyle, box: Box) -> FittedText | None:
    """Fit *text* into *box*, or None if nothing of it is left to print once cleaned.

    A text that fits on one line at min_size or more stays on one line, as large as the box allows; a longer
    one is wrapped at min_size, its lines evened out, and, if they are still too tall for the box, shrunk
    by ReportLab's KeepInFrame. Nothing is ever cut off: a 2,000-character name is only set very small.
    """
    text = clean(text)
    if not text:
        return None
    unit_width = stringWidth(text, style.font, 1)
    one_line = _half_points_down(min(style.size, box.width / unit_width, _tallest(style, box)))
    if one_line >= style.min_size:
        line = _Line(text, style, one_line, unit_width * one_line)
        return FittedText(line, style, one_line, 1, line.width)
    size = min(style.min_size, _tallest(style, box))
    paragraph = _paragraph(text, style, size)
    lines = _wrapped_lines(paragraph, box.width)
    if max(paragraph.getActualLineWidths0()) > box.width:
        # ReportLab broke a web address after a slash and left the rest whole, too wide for any line.
        paragraph = _paragraph(text, style, size, break_addresses=False)
        lines = _wrapped_lines(paragraph, box.width)
    room = box.height - size * (INK_ASCENT + INK_DESCENT - style.leading)
    if paragraph.height <= room:
        width = _balanced_width(text, paragraph.style, box.width, lines)
        return FittedText(paragraph, style, size, _wrapped_lines(paragraph, width), width)
    frame = KeepInFrame(box.width, room, [paragraph], mode="shrink")
    frame.wrapOn(None, box.width, room)  # layout comes before the canvas; wrapping a paragraph never needs one
    return FittedText(frame, style, size, round(paragraph.height / paragraph.style.leading), box.width)


def clean(text: str) -> str:
    """*text* for display: bidi and other control characters removed, whitespace runs made single spaces."""
    text = text.translate(_BIDI_CONTROLS)
    text = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    return " ".join(text.split())


class _Line(Flowable):
    """One line of plain text, set like a Paragraph's first line: nothing to wrap, so no markup to parse."""

    def __init__(self, text: str, style: TextStyle, size: float, width: float):
        super().__init__()
        self.text, self.style, self.size = text, style, size
        self.width, self.height = width, size * style.leading

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setFont(self.style.font, self.size)
        self.canv.setFillColor(HexColor(self.style.colour))
        self.canv.drawString(0, self.height - self.size, self.text)


def _paragraph(text: str, style: TextStyle, size: float, *, break_addresses: bool = True) -> Paragraph:
    # Escaped, so that a name such as "<b>x</b>" or "&amp;" is printed as typed, never read as markup.
    return Paragraph(escape(text), _paragraph_style(style, size, break_addresses))


@lru_cache(maxsize=256)
def _paragraph_style(style: TextStyle, size: float, break_addresses: bool) -> ParagraphStyle:
    return ParagraphStyle(
        f"{style.font}-{size}",
        fontName=style.font,
        fontSize=size,
        leading=size * style.leading,
        textColor=HexColor(style.colour),
        alignment=TA_CENTER if style.align == "centre" else TA_LEFT,
        spaceShrinkage=0,  # ReportLab would otherwise let a line run 5% of a space per word past the width
        splitLongWords=1,  # a word wider than the box, such as a long unbroken name, is broken between letters
        uriWasteReduce=0.3 if break_addresses else 0,  # and a web address after a slash that fits, if one does
        hyphenationLang="",
        embeddedHyphenation=0,
    )


def _wrapped_lines(paragraph: Paragraph, width: float) -> int:
    _, height = paragraph.wrap(width, _UNBOUNDED)
    return round(height / paragraph.style.leading)


@lru_cache(maxsize=1024)
def _balanced_width(text: str, style: ParagraphStyle, width: float, lines: int) -> float:
    """The narrowest width that still needs no more than *lines* lines, so a centred text's lines are of even
    length ("Secretaría de Integridad Pública —" over "Presidencia del Consejo de Ministros", not a full
    line over a short one). ReportLab wraps greedily and has no such option; its wrap is searched with.

    Lines wrapped at some width break just as they do at the width of their longest line, so each wrap
    that keeps the count narrows the search to that line. Remembered, since ReportLab measures every word
    again on each wrap and the issuer's name comes back on every certificate.
    """
    if lines < 2:
        return width
    paragraph = Paragraph(escape(text), style)
    paragraph.wrap(width, _UNBOUNDED)
    # Narrower than its longest word, a text would be broken inside that word.
    widest_word = max(stringWidth(word, style.fontName, style.fontSize) for word in text.split(" "))
    narrow, wide = max(width / lines, min(widest_word, width)), _longest_line(paragraph)
    while wide - narrow > _BALANCE_PRECISION:
        middle = (narrow + wide) / 2
        if _wrapped_lines(paragraph, middle) <= lines:
            wide = _longest_line(paragraph)
        else:
            narrow = middle
    return wide


def _longest_line(paragraph: Paragraph) -> float:
    return max(paragraph.getActualLineWidths0()) + 0.001  # rounding must not push the longest line over


def _tallest(style: TextStyle, box: Box) -> float:
    """The largest size at which one line of *style* stays within the box's height."""
    return box.height / (INK_ASCENT + INK_DESCENT)


def _half_points_down(size: float) -> float:
    return int(size * 2) / 2
