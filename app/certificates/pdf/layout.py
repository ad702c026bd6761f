"""Where each element of the certificate sits on the page, in which font, size and colour; place() puts a sheet there."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4, landscape

from app.certificates.pdf.fitting import Box, FittedText, TextStyle, fit
from app.core.pdf_fonts import SANS, SANS_BOLD, SERIF, SERIF_BOLD, register_fonts

if TYPE_CHECKING:
    from app.certificates.pdf.sheets import CertificateSheet

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)

INK, ACCENT, GOLD, MUTED = "#1b1f23", "#7a1712", "#a8894f", "#5b6168"

# Two frames; nothing else is drawn between the page edge and MARGIN, so a test can prove no text overflows.
OUTER_FRAME, INNER_FRAME, MARGIN = 22, 30, 46
OUTER_FRAME_LINE, INNER_FRAME_LINE = 2.4, 0.8  # line widths, in points


@dataclass(frozen=True)
class Slot:
    box: Box
    style: TextStyle
    space_before: float = 0  # only inside the CENTRE stack


# Each box's height also bounds how many lines its text takes at min_size: two for the heading, three for
# the holder's name, four for the statement; only a text that needs more is shrunk further.
HEADING = Slot(Box(90, 474, 662, 58), TextStyle(SERIF_BOLD, 25, 17, ACCENT))
HEADING_RULE_Y, HEADING_RULE_WIDTH = 468, 150

# The middle of the page: each slot's box gives its width and greatest height; the slots are stacked,
# each as tall as its text, and the stack is centred vertically in CENTRE.
CENTRE = Box(66, 246, 710, 218)
PRESENTED_TO = Slot(Box(90, 0, 662, 20), TextStyle(SERIF, 13, 10, MUTED))
HOLDER_NAME = Slot(Box(66, 0, 710, 86), TextStyle(SERIF_BOLD, 34, 22, INK), space_before=10)
HOLDER_DETAIL = Slot(Box(90, 0, 662, 20), TextStyle(SANS, 12, 9, MUTED), space_before=4)
STATEMENT = Slot(Box(106, 0, 630, 62), TextStyle(SERIF, 13.5, 10.5, INK), space_before=16)

FACTS = Box(62, 150, 340, 92)  # one row per fact: the label, then the value at FACT_LABEL_WIDTH
FACT_LABEL = TextStyle(SANS_BOLD, 8, 6, MUTED, align="left")
FACT_VALUE = TextStyle(SANS, 10, 6.5, INK, align="left")
FACT_LABEL_WIDTH, FACT_LABEL_GAP, FACT_ROW_HEIGHT = 128, 8, 15.5

ISSUERS = Box(62, 56, 560, 82)  # a column per issuer: a signature rule along the top, the issuer's lines below
ISSUER_TEXT = TextStyle(SANS, 9, 9, INK)
ISSUER_COLUMN_MAX, ISSUER_GUTTER, ISSUER_RULE_GAP, ISSUER_RULE_INSET = 250, 22, 8, 10
ISSUER_RULE_LINE = 0.6

QR_CODE = Box(660, 116, 112, 112)  # includes the four-module quiet zone
SERIAL = Slot(Box(634, 97, 160, 16), TextStyle(SANS_BOLD, 9.5, 6.5, INK))
VERIFY_CAPTION = Slot(Box(634, 83, 160, 13), TextStyle(SANS, 7.5, 6, MUTED))
VERIFY_URL = Slot(Box(634, 52, 160, 31), TextStyle(SANS, 7, 6, MUTED))


@dataclass(frozen=True)
class Placed:
    """A string fitted and given its final box; the drawing draws it, the tests measure it."""

    box: Box
    text: FittedText


def place(sheet: "CertificateSheet") -> list[Placed]:
    """Every string of *sheet* in its box. Boxes never overlap and stay inside MARGIN, whatever the strings."""
    register_fonts()
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
    return [item for item in placed if item is not None]


def issuer_columns(count: int) -> list[Box]:
    """Equal columns, one per issuer, centred in ISSUERS."""
    if not count:
        return []
    width = min(ISSUER_COLUMN_MAX, (ISSUERS.width - ISSUER_GUTTER * (count - 1)) / count)
    left = ISSUERS.centre - (width * count + ISSUER_GUTTER * (count - 1)) / 2
    return [Box(left + index * (width + ISSUER_GUTTER), ISSUERS.y, width, ISSUERS.height) for index in range(count)]


def _placed(slot: Slot, text: str) -> Placed | None:
    fitted = fit(text, slot.style, slot.box)
    return Placed(slot.box, fitted) if fitted is not None else None


def _stack(slots: tuple[tuple[Slot, str], ...]) -> list[Placed]:
    fitted = [(slot, fit(text, slot.style, slot.box)) for slot, text in slots]
    fitted = [(slot, text) for slot, text in fitted if text is not None]
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
        label_box = Box(FACTS.x, y, FACT_LABEL_WIDTH - FACT_LABEL_GAP, row)
        value_box = Box(FACTS.x + FACT_LABEL_WIDTH, y, FACTS.width - FACT_LABEL_WIDTH, row)
        for box, text, style in ((label_box, label, FACT_LABEL), (value_box, value, FACT_VALUE)):
            fitted = fit(text, style, box)
            if fitted is not None:
                placed.append(Placed(box, fitted))
    return placed


def _issuers(issuers: tuple[str, ...]) -> list[Placed]:
    """Each issuer's lines hang from just under the column's signature rule."""
    placed = []
    for issuer, column in zip(issuers, issuer_columns(len(issuers)), strict=True):
        room = Box(column.x, column.y, column.width, column.height - ISSUER_RULE_GAP)
        text = fit(issuer, ISSUER_TEXT, room)
        if text is not None:
            placed.append(Placed(Box(room.x, room.top - text.height, room.width, text.height), text))
    return placed
