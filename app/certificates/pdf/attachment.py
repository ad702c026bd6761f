"""The signed credential inside the PDF: attached while the page is drawn, read back out of an uploaded file."""

import io
import logging
import warnings

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

# Uploaded PDFs are untrusted: pypdf's complaints about them are noise in our logs, not news.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

CREDENTIAL_FILE = "credential.json"


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


def attach(canvas: Canvas, data: bytes, name: str) -> None:
    """Embed *data* as a JSON file: an /EmbeddedFile stream and its /Filespec in the catalog's name tree."""
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
    filespec = _FileSpecification(
        {
            "Type": pdfdoc.PDFName("Filespec"),
            "F": pdfdoc.PDFString(name),
            "UF": pdfdoc.PDFString(name),
            "EF": pdfdoc.PDFDictionary({"F": stream, "UF": stream}),
            "AFRelationship": pdfdoc.PDFName("Data"),
        }
    )
    embedded = pdfdoc.PDFDictionary({"Names": pdfdoc.PDFArray([pdfdoc.PDFString(name), filespec])})
    canvas.setCatalogEntry("Names", pdfdoc.PDFDictionary({"EmbeddedFiles": embedded}))


class _FileSpecification(pdfdoc.PDFDictionary):
    """A dictionary ReportLab writes as an indirect object of its own, as it does streams (its RefOnly marker)."""

    __RefOnly__ = 1


def _read_attachment(data: bytes, name: str, max_bytes: int) -> bytes | None:
    # Imported here: only uploads need pypdf, and it weighs ~13 MB in every worker that loads it.
    from pypdf import PdfReader, apply_configuration
    from pypdf.generic import StreamObject

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        return None
    for embedded in reader.attachment_list:
        if embedded.name != name:
            continue
        files = embedded.pdf_object["/EF"].get_object()
        stream = files.get("/UF", files.get("/F")).get_object()
        if not isinstance(stream, StreamObject):
            return None
        # Bounded while it inflates: a small compressed bomb stops at the limit instead of filling memory.
        with apply_configuration(**{f"{kind}_maximum_output_length": max_bytes for kind in _DECOMPRESSORS}):
            content = stream.get_data()
        return content if len(content) <= max_bytes else None
    return None


_DECOMPRESSORS = ("zlib", "lzw", "run_length", "brotli", "jbig2", "array_based_stream")
