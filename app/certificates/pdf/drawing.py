"""Drawing the certificate page with ReportLab: the frame, the placed strings, the QR code, the tags and the attachment."""

import io
import itertools

import segno
from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from app.certificates.pdf import attachment, layout
from app.certificates.pdf.fitting import OVERHANG, clean
from app.certificates.pdf.sheets import ACADEMY_NAME, CertificateSheet
from app.core.pdf_tags import PageTags, link_to_page

_QUIET_ZONE = 4  # modules of white around the QR code, as ISO/IEC 18004 asks


def render(sheet: CertificateSheet) -> bytes:
    """One A4 landscape page, tagged so that a screen reader reads it in order. No input is ever read as markup:
    a line is drawn as plain text, wrapped text is escaped."""
    layout.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(layout.PAGE_WIDTH, layout.PAGE_HEIGHT),
        pageCompression=1,
        lang=sheet.language,
        initialFontName=layout.SANS,
        pdfVersion=(1, 7),  # structure, /Lang and XMP need 1.4; the attachment's /AFRelationship reads as 1.7
    )
    canvas.setSubject(clean(sheet.heading))
    canvas.setAuthor(clean(sheet.academy))
    canvas.setCreator(ACADEMY_NAME)
    tags = PageTags(canvas)
    with tags.artifact():
        _draw_frame(canvas)
        _draw_issuer_rules(canvas, len(sheet.issuers))
        _draw_qr_code(canvas, sheet.verify_url, layout.QR_CODE)
    for block in layout.place(sheet):
        with tags.element(block.role):
            for item in block.items:
                with tags.text():
                    _draw_text(canvas, item)
            if block.link is not None:
                box = block.link
                tags.link(sheet.verify_url, (box.x, box.y, box.x + box.width, box.top), clean(sheet.how_to_verify))
    tags.close(title=clean(sheet.title), language=sheet.language)
    attachment.attach(canvas, sheet.attachment, sheet.attachment_name)
    canvas.showPage()
    canvas.save()
    return link_to_page(buffer.getvalue())


def _draw_frame(canvas: Canvas) -> None:
    """A double rule in the accent colour, tied by a square at each corner, and a fine gold frame inside it."""
    width, height = layout.PAGE_WIDTH, layout.PAGE_HEIGHT
    canvas.setStrokeColor(HexColor(layout.ACCENT))
    for inset, line in (
        (layout.OUTER_FRAME, layout.OUTER_FRAME_LINE),
        (layout.SECOND_FRAME, layout.SECOND_FRAME_LINE),
    ):
        canvas.setLineWidth(line)
        canvas.rect(inset, inset, width - 2 * inset, height - 2 * inset)
    canvas.setFillColor(HexColor(layout.ACCENT))
    side = layout.CORNER
    middle = (layout.OUTER_FRAME + layout.SECOND_FRAME) / 2
    for x, y in itertools.product((middle, width - middle), (middle, height - middle)):
        canvas.rect(x - side / 2, y - side / 2, side, side, stroke=0, fill=1)
    canvas.setStrokeColor(HexColor(layout.GOLD))
    canvas.setLineWidth(layout.INNER_FRAME_LINE)
    inner = layout.INNER_FRAME
    canvas.rect(inner, inner, width - 2 * inner, height - 2 * inner)
    _draw_ornament(canvas, width / 2, layout.ORNAMENT_Y)


def _draw_ornament(canvas: Canvas, x: float, y: float) -> None:
    """A gold rule under the heading, broken in its middle by a small diamond."""
    half, diamond = layout.ORNAMENT_WIDTH / 2, layout.ORNAMENT_DIAMOND
    canvas.setLineWidth(layout.INNER_FRAME_LINE)
    canvas.line(x - half, y, x - 3 * diamond, y)
    canvas.line(x + 3 * diamond, y, x + half, y)
    canvas.setFillColor(HexColor(layout.GOLD))
    path = canvas.beginPath()
    path.moveTo(x - diamond, y)
    path.lineTo(x, y + diamond)
    path.lineTo(x + diamond, y)
    path.lineTo(x, y - diamond)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_issuer_rules(canvas: Canvas, count: int) -> None:
    """A rule over each issuer's column, where a hand signature would go."""
    canvas.setStrokeColor(HexColor(layout.INK))
    canvas.setLineWidth(layout.ISSUER_RULE_LINE)
    for column in layout.issuer_columns(count):
        inset = layout.ISSUER_RULE_INSET
        canvas.line(column.x + inset, column.top, column.x + column.width - inset, column.top)


def _draw_text(canvas: Canvas, item: layout.Placed) -> None:
    """Draw the text clipped to its box, so that even a tower of combining marks cannot reach a neighbour."""
    fitted, box = item.text, item.box
    canvas.saveState()
    clip = canvas.beginPath()
    overhang = fitted.size * OVERHANG  # letters such as J reach a little past their advance width
    clip.rect(box.x - overhang, box.y, box.width + 2 * overhang, box.height)
    canvas.clipPath(clip, stroke=0, fill=0)
    fitted.draw_on(canvas, box)
    canvas.restoreState()


def _draw_qr_code(canvas: Canvas, url: str, box: layout.Box) -> None:
    """The QR code as vector rectangles, one per run of dark modules in a row, filled as a single path."""
    matrix = segno.make(url, error="m", micro=False).matrix
    module = box.width / (len(matrix) + 2 * _QUIET_ZONE)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        y = box.top - (row_index + _QUIET_ZONE + 1) * module
        column = 0
        for dark, run in itertools.groupby(row):
            length = len(list(run))
            if dark:
                path.rect(box.x + (column + _QUIET_ZONE) * module, y, length * module, module)
            column += length
    canvas.setFillColor(HexColor("#000000"))
    canvas.drawPath(path, stroke=0, fill=1)
