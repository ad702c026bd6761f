"""The signed credential inside the PDF: attached while the page is drawn, read back out of an uploaded file."""

import io
import logging
import warnings
import zlib

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


class _CatalogWithAF(pdfdoc.PDFCatalog):
    """ReportLab's catalog writes only the keys it knows; /AF (associated files, PDF 2.0 and PDF/A-3) is added."""

    __NoDefault__ = [*pdfdoc.PDFCatalog.__NoDefault__, "AF"]


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
