"""The certificate as a one-page PDF, rendered from already-localised strings, with its signed credential attached."""

import io
import itertools
import logging
import warnings
import zlib
from dataclasses import dataclass

import segno
from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from app.certificates import pdf_layout as layout

# Uploaded PDFs are untrusted: pypdf's complaints about them are noise in our logs, not news.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

# Raise when the layout changes, so stored PDFs are redrawn (services.regenerate).
TEMPLATE_VERSION = 1

_QUIET_ZONE = 4  # modules of white around the QR code, as ISO/IEC 18004 asks


@dataclass(frozen=True, kw_only=True)
class CertificateSheet:
    """Everything printed on a certificate, already translated; render() only lays it out."""

    language: str  # "es" or "en", the PDF's /Lang
    heading: str
    presented_to: str
    holder_name: str
    holder_detail: str | None = None  # e.g. "RUC 20131312955" under a company's name
    statement: str
    facts: tuple[tuple[str, str], ...]  # (label, value): issue date, expiry, hours, serial...
    issuers: tuple[str, ...]
    serial: str
    verify_url: str  # exactly what the QR code encodes
    verify_caption: str
    title: str  # PDF metadata
    attachment: bytes  # the signed credential, for offline checking
    attachment_name: str = "credential.json"


def render(sheet: CertificateSheet) -> bytes:
    """One A4 landscape page; every string is drawn as plain text, so no input is ever read as markup."""
    layout.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(layout.PAGE_WIDTH, layout.PAGE_HEIGHT),
        pageCompression=1,
        lang=sheet.language,
        initialFontName=layout.SANS,
    )
    canvas.setTitle(layout.clean(sheet.title))
    canvas.setSubject(layout.clean(sheet.heading))
    canvas.setAuthor(layout.clean(sheet.issuers[0]) if sheet.issuers else "")
    canvas.setCreator("Academia de Integridad")
    _draw_frame(canvas)
    _draw_issuer_rules(canvas, len(sheet.issuers))
    for item in layout.place(sheet):
        _draw_text(canvas, item)
    _draw_qr_code(canvas, sheet.verify_url, layout.QR_CODE)
    _attach(canvas, sheet.attachment, sheet.attachment_name)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def read_attachment(data: bytes, name: str, max_bytes: int) -> bytes | None:
    """The attached file *name* from an uploaded PDF, or None if the upload is not a readable, unencrypted
    PDF holding that file within *max_bytes*. Never raises: the upload is untrusted input.
    """
    if not isinstance(data, bytes | bytearray) or not data.startswith(b"%PDF-"):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read_attachment(bytes(data), name, max_bytes)
    except Exception:  # pypdf raises many types on malformed input, and RecursionError on cyclic trees
        return None


def _draw_frame(canvas: Canvas) -> None:
    width, height = layout.PAGE_WIDTH, layout.PAGE_HEIGHT
    outer, inner = layout.OUTER_FRAME, layout.INNER_FRAME
    canvas.setStrokeColor(HexColor(layout.ACCENT))
    canvas.setLineWidth(2.4)
    canvas.rect(outer, outer, width - 2 * outer, height - 2 * outer)
    canvas.setStrokeColor(HexColor(layout.GOLD))
    canvas.setLineWidth(0.8)
    canvas.rect(inner, inner, width - 2 * inner, height - 2 * inner)
    half_rule = layout.HEADING_RULE_WIDTH / 2
    canvas.line(width / 2 - half_rule, layout.HEADING_RULE_Y, width / 2 + half_rule, layout.HEADING_RULE_Y)


def _draw_issuer_rules(canvas: Canvas, count: int) -> None:
    """A rule over each issuer's column, where a hand signature would go."""
    canvas.setStrokeColor(HexColor(layout.INK))
    canvas.setLineWidth(0.6)
    for column in layout.issuer_columns(count):
        inset = layout.ISSUER_RULE_INSET
        canvas.line(column.x + inset, column.top, column.x + column.width - inset, column.top)


def _draw_text(canvas: Canvas, item: layout.Placed) -> None:
    """Draw the lines clipped to their box, so that even a tower of combining marks cannot reach a neighbour."""
    fitted, box = item.text, item.box
    canvas.saveState()
    clip = canvas.beginPath()
    overhang = fitted.size * layout.OVERHANG  # letters such as J reach a little past their advance width
    clip.rect(box.x - overhang, box.y, box.width + 2 * overhang, box.height)
    canvas.clipPath(clip, stroke=0, fill=0)
    canvas.setFont(fitted.style.font, fitted.size)
    canvas.setFillColor(HexColor(fitted.style.colour))
    for line, baseline in zip(fitted.lines, fitted.baselines(box), strict=True):
        if item.align == "centre":
            canvas.drawCentredString(box.centre, baseline, line)
        else:
            canvas.drawString(box.x, baseline, line)
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


class _CatalogWithAF(pdfdoc.PDFCatalog):
    """ReportLab's catalog writes only the keys it knows; /AF (associated files, PDF 2.0 and PDF/A-3) is added."""

    __NoDefault__ = [*pdfdoc.PDFCatalog.__NoDefault__, "AF"]


def _attach(canvas: Canvas, data: bytes, name: str) -> None:
    """Embed *data* as a JSON file: an /EmbeddedFile stream, its /Filespec, and the catalog's name tree and /AF."""
    document = canvas._doc
    stream = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("EmbeddedFile"),
                "Subtype": "/application#2Fjson",  # PDFName() would not escape the slash
                "Params": pdfdoc.PDFDictionary({"Size": len(data)}),
            }
        ),
        content=data,
        filters=[pdfdoc.PDFZCompress],
    )
    filespec = document.Reference(
        pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("Filespec"),
                "F": pdfdoc.PDFString(name),
                "UF": pdfdoc.PDFString(name),
                "EF": pdfdoc.PDFDictionary({"F": stream, "UF": stream}),
                "AFRelationship": pdfdoc.PDFName("Data"),
            }
        )
    )
    catalog = document.Catalog
    catalog.__class__ = _CatalogWithAF
    catalog.Names = pdfdoc.PDFDictionary(
        {"EmbeddedFiles": pdfdoc.PDFDictionary({"Names": pdfdoc.PDFArray([pdfdoc.PDFString(name), filespec])})}
    )
    catalog.AF = pdfdoc.PDFArray([filespec])


def _read_attachment(data: bytes, name: str, max_bytes: int) -> bytes | None:
    # Imported here: only uploads need pypdf, and it weighs ~13 MB in every worker that loads it.
    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        return None
    for embedded in reader.attachment_list:
        if embedded.name != name:
            continue
        files = embedded.pdf_object["/EF"].get_object()
        stream = files.get("/UF", files.get("/F")).get_object()
        return _bounded_content(stream, max_bytes) if isinstance(stream, StreamObject) else None
    return None


def _bounded_content(stream, max_bytes: int) -> bytes | None:
    """The stream's content, inflated by hand so that a small compressed bomb stops at *max_bytes*."""
    filters = stream.get("/Filter")
    filters = filters.get_object() if filters is not None else None
    raw = stream._data  # the still-encoded bytes; pypdf's get_data() would inflate up to 75 MB first
    if filters is None:
        content = raw
    elif filters in ("/FlateDecode", ["/FlateDecode"]) and "/DecodeParms" not in stream:
        inflater = zlib.decompressobj()
        content = inflater.decompress(raw, max_bytes + 1)
        if not inflater.eof:
            return None
    else:
        return None
    return content if len(content) <= max_bytes else None
