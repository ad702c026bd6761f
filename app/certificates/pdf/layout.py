"""Where each element of the certificate sits on the page, in which font, size and colour; place() puts a sheet there."""

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4, landscape

from app.certificates.pdf.fitting import Box, FittedText, TextStyle, fit
from app.core.pdf_fonts import SANS, SANS_BOLD, SERIF, SERIF_BOLD, register_fonts

if TYPE_CHECKING:
    from app.certificates.pdf.sheets import CertificateSheet

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)

INK, ACCENT, GOLD, MUTED = "#1b1f23", "#7a1712", "#a8894f", "#5b6168"

# A double rule and a fine gold frame inside it; nothing else is drawn between the page edge and MARGIN, so a
# test can prove no text overflows.
OUTER_FRAME, SECOND_FRAME, INNER_FRAME, MARGIN = 22, 26.5, 30, 46
OUTER_FRAME_LINE, SECOND_FRAME_LINE, INNER_FRAME_LINE = 2.4, 0.6, 0.8  # line widths, in points
CORNER = 4.5  # the side of the square that ties the double rule together at each corner


@dataclass(frozen=True)
class Slot:
    box: Box
    style: TextStyle
    space_before: float = 0  # only inside the CENTRE stack


# Each box's height also bounds how many lines its text takes at min_size: two for the heading, four for
# the holder's name (200 characters, the most a name may have), three for the statement; only a text that
# needs more is shrunk further.
HEADING = Slot(Box(90, 474, 662, 62), TextStyle(SERIF_BOLD, 26, 17, ACCENT))
HEADING_BELOW_NAME = 2  # points: a name set smaller than the heading takes the heading down with it...
HEADING_SMALLEST = 14  # ...as far as this, so that the holder's name stays the largest text on the page
# A gold rule under the heading, broken in its middle by a small diamond.
ORNAMENT_Y, ORNAMENT_WIDTH, ORNAMENT_DIAMOND = 466, 170, 3.2

# The middle of the page: each slot's box gives its width and greatest height; the slots are stacked,
# each as tall as its text, and the stack is centred vertically in CENTRE, which holds them all at their
# greatest.
CENTRE = Box(66, 238, 710, 220)
PRESENTED_TO = Slot(Box(90, 0, 662, 18), TextStyle(SERIF, 13, 10, MUTED))
HOLDER_NAME = Slot(Box(66, 0, 710, 112), TextStyle(SERIF_BOLD, 36, 22, INK), space_before=8)
HOLDER_DETAIL = Slot(Box(90, 0, 662, 18), TextStyle(SANS, 12, 9, MUTED), space_before=2)
STATEMENT = Slot(Box(106, 0, 630, 50), TextStyle(SERIF, 14, 10.5, INK), space_before=12)

FACTS = Box(62, 154, 340, 80)  # one row per fact: the label, then the value at FACT_LABEL_WIDTH
FACT_LABEL = TextStyle(SANS_BOLD, 8, 6, MUTED, align="left")
FACT_VALUE = TextStyle(SANS, 10, 6.5, INK, align="left")
FACT_LABEL_WIDTH, FACT_LABEL_GAP, FACT_ROW_HEIGHT = 108, 8, 15.5

# A column per issuer: a signature rule along the top, the issuer's lines below. The first column names the
# Academy above its issuer.
ISSUERS = Box(62, 68, 548, 80)
ACADEMY_TEXT = TextStyle(SANS_BOLD, 10.5, 8, INK)
ACADEMY_HEIGHT = 16
ISSUER_TEXT = TextStyle(SANS, 8.5, 8.5, INK)
ISSUER_COLUMN_MAX, ISSUER_GUTTER, ISSUER_RULE_GAP, ISSUER_RULE_INSET = 250, 22, 7, 10
ISSUER_RULE_LINE = 0.6

# The corner for checking: the QR code with the serial under it, and along the foot of the page a line on
# how to verify that gives the address again.
QR_CODE = Box(661, 128, 106, 106)  # includes the four-module quiet zone
SERIAL_LABEL = Slot(Box(634, 115, 160, 12), TextStyle(SANS_BOLD, 7, 6, MUTED))
SERIAL = Slot(Box(634, 97, 160, 17), TextStyle(SANS_BOLD, 9.5, 6.5, INK))
HOW_TO_VERIFY = Slot(Box(62, 47, 718, 17), TextStyle(SANS, 7.5, 6, MUTED))


@dataclass(frozen=True)
class Placed:
    """A string fitted and given its final box; the drawing draws it, the tests measure it."""

    box: Box
    text: FittedText


@dataclass(frozen=True)
class Block:
    """One element of the document as a screen reader reads it: a heading ("H1") or a paragraph ("P"), made of
    one or more placed strings (a fact's label and value make one paragraph)."""

    role: str
    items: tuple[Placed, ...]
    link: Box | None = None  # where a link to the verification page sits, as part of this paragraph


def place(sheet: "CertificateSheet") -> list[Block]:
    """Every string of *sheet* in its box, grouped into blocks in reading order. Boxes never overlap and stay
    inside MARGIN, whatever the strings."""
    register_fonts()
    centre = _stack(
        (
            (PRESENTED_TO, sheet.presented_to),
            (HOLDER_NAME, sheet.holder_name),
            (HOLDER_DETAIL, sheet.holder_detail or ""),
            (STATEMENT, sheet.statement),
        )
    )
    name = next((item.text.size for item in centre if item.text.style == HOLDER_NAME.style), None)
    blocks = [_block("H1", _placed(_heading_under(name), sheet.heading))]
    blocks += [_block("P", item) for item in centre]
    blocks += [_block("P", *row) for row in _facts(sheet.facts)]
    blocks += [_block("P", *column) for column in _issuers(sheet.academy, sheet.issuers)]
    blocks.append(_block("P", _placed(SERIAL_LABEL, sheet.serial_label), _placed(SERIAL, sheet.serial)))
    blocks.append(_block("P", _placed(HOW_TO_VERIFY, sheet.how_to_verify), link=QR_CODE))
    return [block for block in blocks if block.items]


def placed(blocks: list[Block]) -> list[Placed]:
    """Every placed string of *blocks*, in reading order."""
    return [item for block in blocks for item in block.items]


def issuer_columns(count: int) -> list[Box]:
    """Equal columns, one per issuer, centred in ISSUERS."""
    if not count:
        return []
    width = min(ISSUER_COLUMN_MAX, (ISSUERS.width - ISSUER_GUTTER * (count - 1)) / count)
    left = ISSUERS.centre - (width * count + ISSUER_GUTTER * (count - 1)) / 2
    return [Box(left + index * (width + ISSUER_GUTTER), ISSUERS.y, width, ISSUERS.height) for index in range(count)]


def _heading_under(name_size: float | None) -> Slot:
    """The heading's slot, its size brought under the holder's name's when a long name had to be set small."""
    style = HEADING.style
    if name_size is None or name_size - HEADING_BELOW_NAME >= style.size:
        return HEADING
    size = max(name_size - HEADING_BELOW_NAME, HEADING_SMALLEST)
    return Slot(HEADING.box, replace(style, size=size, min_size=min(style.min_size, size)))


def _block(role: str, *items: Placed | None, link: Box | None = None) -> Block:
    return Block(role, tuple(item for item in items if item is not None), link)


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


def _facts(facts: tuple[tuple[str, str], ...]) -> list[list[Placed | None]]:
    """A row per fact: its label, then its value."""
    row = min(FACT_ROW_HEIGHT, FACTS.height / max(len(facts), 1))
    rows = []
    for index, (label, value) in enumerate(facts):
        y = FACTS.top - row * (index + 1)
        label_box = Box(FACTS.x, y, FACT_LABEL_WIDTH - FACT_LABEL_GAP, row)
        value_box = Box(FACTS.x + FACT_LABEL_WIDTH, y, FACTS.width - FACT_LABEL_WIDTH, row)
        rows.append([_placed(Slot(label_box, FACT_LABEL), label), _placed(Slot(value_box, FACT_VALUE), value)])
    return rows


def _issuers(academy: str, issuers: tuple[str, ...]) -> list[list[Placed | None]]:
    """Each issuer's lines hang from just under the column's signature rule; the Academy's name heads the first."""
    columns = []
    for index, (issuer, column) in enumerate(zip(issuers, issuer_columns(len(issuers)), strict=True)):
        room = Box(column.x, column.y, column.width, column.height - ISSUER_RULE_GAP)
        lines = []
        if index == 0:
            lines.append(
                _hung(ACADEMY_TEXT, academy, Box(room.x, room.top - ACADEMY_HEIGHT, room.width, ACADEMY_HEIGHT))
            )
            room = Box(room.x, room.y, room.width, room.height - ACADEMY_HEIGHT)
        lines.append(_hung(ISSUER_TEXT, issuer, room))
        columns.append(lines)
    return columns


def _hung(style: TextStyle, text: str, room: Box) -> Placed | None:
    """*text* fitted into *room* and given a box as tall as itself at the top of it."""
    fitted = fit(text, style, room)
    return Placed(Box(room.x, room.top - fitted.height, room.width, fitted.height), fitted) if fitted else None
