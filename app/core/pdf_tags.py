"""Tagged PDF for one-page documents drawn on a ReportLab canvas, so that screen readers read them in order.

ReportLab has no structure tree, so the work is split along what each library offers in public. While the page
is drawn, ``PageTags`` (and ``Tagged``, for platypus flowables) wraps each piece of text in a marked-content sequence (the ``BDC``/``EMC`` operators,
written with ``Canvas.addLiteral``), and decoration in an ``/Artifact`` sequence; on ``close`` it puts the
structure tree, ``/MarkInfo``, the XMP title and ``DisplayDocTitle`` in the catalog. ReportLab cannot write
into a page dictionary or refer to a page, so ``link_to_page`` then lets pypdf add the page's
``/StructParents`` and each element's ``/Pg``, and point each link element at its annotation.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

_PAGE_KEY = 0  # the page's key in the parent tree; each annotation takes the next one


class PageTags:
    """The logical structure of the one page being drawn on *canvas*: a /Document of headings and paragraphs."""

    def __init__(self, canvas: Canvas) -> None:
        self._canvas = canvas
        self._document = _element("Document")
        self._marked: list[_Indirect] = []  # the element each marked-content sequence belongs to, by MCID
        self._links: list[_Indirect] = []  # the /Link element of each annotation, by parent tree key
        self._open: tuple[str, _Indirect] | None = None

    @contextmanager
    def artifact(self) -> Iterator[None]:
        """What is drawn inside is decoration (frames, rules, a QR code whose address is also printed as text),
        which readers skip."""
        self._canvas.addLiteral("/Artifact BMC")
        yield
        self._canvas.addLiteral("EMC")

    @contextmanager
    def element(self, role: str) -> Iterator[None]:
        """What is drawn inside belongs to one structure element, such as "H1" or "P"; elements are read in
        the order they are opened. One may hold several texts: a label and its value make one paragraph."""
        element = _element(role, parent=self._document)
        _add(self._document, element)
        self._open = role, element
        yield
        self._open = None

    @contextmanager
    def text(self) -> Iterator[None]:
        """What is drawn inside is text of the open element."""
        role, element = self._opened()
        mcid = len(self._marked)
        self._marked.append(element)
        _add(element, mcid)
        self._canvas.addLiteral(f"/{role} <</MCID {mcid}>> BDC")
        yield
        self._canvas.addLiteral("EMC")

    def link(self, url: str, rect: tuple[float, float, float, float], description: str) -> None:
        """A link annotation over *rect*, in page space, as a /Link element of the open element."""
        _, parent = self._opened()
        link = _element("Link", parent=parent)
        _add(link, pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("OBJR")}))  # link_to_page adds the /Obj
        _add(parent, link)
        self._links.append(link)
        key = _PAGE_KEY + len(self._links)
        self._canvas.linkURL(url, rect, relative=0, StructParent=key, Contents=pdfdoc.PDFString(description))

    def close(self, *, title: str, language: str) -> None:
        """Write the structure tree and the title, once everything is drawn and before the canvas is saved."""
        numbers = [_PAGE_KEY, pdfdoc.PDFArray(self._marked)]
        for key, link in enumerate(self._links, start=_PAGE_KEY + 1):
            numbers += [key, link]
        root = _Indirect(
            {
                "Type": pdfdoc.PDFName("StructTreeRoot"),
                "K": pdfdoc.PDFArray([self._document]),
                "ParentTree": pdfdoc.PDFDictionary({"Nums": pdfdoc.PDFArray(numbers)}),
                "ParentTreeNextKey": _PAGE_KEY + 1 + len(self._links),
            }
        )
        self._document["P"] = root
        canvas = self._canvas
        canvas.setTitle(title)
        canvas.setCatalogEntry("StructTreeRoot", root)
        canvas.setCatalogEntry("MarkInfo", pdfdoc.PDFDictionary({"Marked": pdfdoc.PDFtrue}))
        canvas.setCatalogEntry("Metadata", _xmp(title, language))
        canvas.setViewerPreference("DisplayDocTitle", pdfdoc.PDFtrue)

    def _opened(self) -> tuple[str, "_Indirect"]:
        if self._open is None:
            raise RuntimeError("text and links are placed inside an element")
        return self._open


class Tagged(Flowable):
    """A platypus flowable drawn as one structure element of *role* on the page *tags* describes, or as
    decoration when *role* is None; it takes the space its flowable takes."""

    def __init__(self, tags: PageTags, role: str | None, flowable: Flowable) -> None:
        super().__init__()
        self._tags, self._role, self._flowable = tags, role, flowable

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self._flowable.wrapOn(self.canv, available_width, available_height)
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return self._flowable.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self._flowable.getSpaceAfter()

    def draw(self) -> None:
        if self._role is None:
            with self._tags.artifact():
                self._flowable.drawOn(self.canv, 0, 0)
            return
        with self._tags.element(self._role), self._tags.text():
            self._flowable.drawOn(self.canv, 0, 0)


def link_to_page(data: bytes) -> bytes:
    """*data*, a one-page PDF that PageTags tagged, with what only the page can give: its /StructParents, each
    element's /Pg and each link's annotation, and /Tabs so that keyboard focus follows the structure."""
    # Imported on first use, as in the certificates' attachment.py: pypdf weighs ~13 MB, and a web worker that
    # never draws a PDF should not carry it.
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, NumberObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)), keep_initial_header=True)
    (page,) = writer.pages
    page[NameObject("/StructParents")] = NumberObject(_PAGE_KEY)
    page[NameObject("/Tabs")] = NameObject("/S")
    tree = writer.root_object["/StructTreeRoot"]
    for element in _elements(tree["/K"]):
        element[NameObject("/Pg")] = page.indirect_reference
    numbers = tree["/ParentTree"]["/Nums"]
    links = dict(zip(numbers[::2], numbers[1::2], strict=True))
    for reference in page.get("/Annots", []):
        annotation = reference.get_object()
        if "/StructParent" in annotation:
            for kid in links[annotation["/StructParent"]].get_object()["/K"]:
                kid.get_object()[NameObject("/Obj")] = reference
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


class _Indirect(pdfdoc.PDFDictionary):
    """A dictionary ReportLab writes as an indirect object of its own (its RefOnly marker): structure elements
    and their parents refer to each other."""

    __RefOnly__ = 1


def _element(role: str, parent: _Indirect | None = None) -> _Indirect:
    element = _Indirect({"Type": pdfdoc.PDFName("StructElem"), "S": pdfdoc.PDFName(role), "K": pdfdoc.PDFArray([])})
    if parent is not None:
        element["P"] = parent
    return element


def _add(element: _Indirect, kid) -> None:
    element["K"].sequence.append(kid)


def _elements(kids) -> Iterator:
    """Every structure element under *kids* (a /K entry), depth first."""
    kids = kids.get_object()
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, dict) and kid.get("/Type") == "/StructElem":
            yield kid
            yield from _elements(kid["/K"])


def _xmp(title: str, language: str) -> pdfdoc.XMP:
    """The title and language again as XMP, where PDF/UA readers look for them, built by pypdf."""
    from pypdf.xmp import XmpInformation

    xmp = XmpInformation.create()
    xmp.dc_title = {"x-default": title}
    xmp.dc_language = [language]
    content = xmp.stream.get_data()
    metadata = pdfdoc.XMP(creator=lambda document: content)
    metadata.filters = []  # left readable, as XMP is meant to be
    return metadata
