"""Drawing the certificate page with ReportLab: the frame, the placed strings, the QR code and the attachment."""

import io
import itertools

import segno
from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from app.certificates.pdf import attachment, layout
from app.certificates.pdf.fitting import OVERHANG, clean
from app.certificates.pdf.sheets import CertificateSheet

_QUIET_ZONE = 4  # modules of white around the QR code, as ISO/IEC 18004 asks


def render(sheet: CertificateSheet) -> bytes:
    """One A4 landscape page. No input is ever read as markup: a line is drawn as plain text, wrapped text is escaped."""
    layout.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(layout.PAGE_WIDTH, layout.PAGE_HEIGHT),
        pageCompression=1,
        lang=sheet.language,
        initialFontName=layout.SANS,
    )
    canvas.setTitle(clean(sheet.title))
    canvas.setSubject(clean(sheet.heading))
    canvas.setAuthor(clean(sheet.issuers[0]) if sheet.issuers else "")
    canvas.setCreator("Academia de Integridad")
    _draw_frame(canvas)
    _draw_issuer_rules(canvas, len(sheet.issuers))
    for item in layout.place(sheet):
        _draw_text(canvas, item)
    _draw_qr_code(canvas, sheet.verify_url, layout.QR_CODE)
    attachment.attach(canvas, sheet.attachment, sheet.attachment_name)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_frame(canvas: Canvas) -> None:
    width, height = layout.PAGE_WIDTH, layout.PAGE_HEIGHT
    outer, inner = layout.OUTER_FRAME, layout.INNER_FRAME
    canvas.setStrokeColor(HexColor(layout.ACCENT))
    canvas.setLineWidth(layout.OUTER_FRAME_LINE)
    canvas.rect(outer, outer, width - 2 * outer, height - 2 * outer)
    canvas.setStrokeColor(HexColor(layout.GOLD))
    canvas.setLineWidth(layout.INNER_FRAME_LINE)
    canvas.rect(inner, inner, width - 2 * inner, height - 2 * inner)
    half_rule = layout.HEADING_RULE_WIDTH / 2
    canvas.line(width / 2 - half_rule, layout.HEADING_RULE_Y, width / 2 + half_rule, layout.HEADING_RULE_Y)


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
    canvas.linkURL(url, (box.x, box.y, box.x + box.width, box.top), relative=0)
