"""Tagging a one-page ReportLab drawing: marked content, the structure tree, and the links only the page can give."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from app.core.pdf_tags import PageTags, link_to_page


def _tagged_page(*, with_link: bool = False) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, lang="es", pdfVersion=(1, 7))
    tags = PageTags(canvas)
    with tags.artifact():
        canvas.line(50, 700, 550, 700)
    with tags.element("H1"), tags.text():
        canvas.drawString(50, 750, "Título")
    with tags.element("P"):
        with tags.text():
            canvas.drawString(50, 650, "Primera parte")
        with tags.text():
            canvas.drawString(50, 630, "segunda parte")
        if with_link:
            tags.link("https://example.org/", (50, 600, 150, 620), "Un enlace")
    tags.close(title="Una página", language="es")
    canvas.showPage()
    canvas.save()
    return link_to_page(buffer.getvalue())


def test_a_tagged_page_reads_as_its_elements_in_the_order_they_were_drawn(tmp_path):
    source = tmp_path / "page.pdf"
    source.write_bytes(_tagged_page())
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo, "install Debian's poppler-utils"
    structure = subprocess.run([pdfinfo, "-struct-text", str(source)], capture_output=True, check=True, timeout=60)
    assert structure.stdout.decode().split() == [
        "Document",
        "H1",
        "(block)",
        '"Título"',
        "P",
        "(block)",
        '"Primera',
        'parte"',
        '"segunda',
        'parte"',
    ]
    info = subprocess.run([pdfinfo, str(source)], capture_output=True, check=True, timeout=60).stdout.decode()
    assert "Tagged:          yes" in info and "Title:           Una página" in info


def test_the_page_and_each_element_point_at_each_other():
    reader = PdfReader(io.BytesIO(_tagged_page(with_link=True)))
    page = reader.pages[0]
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    heading, paragraph = tree["/K"][0].get_object()["/K"]
    assert [heading["/K"], paragraph["/K"][:2]] == [[0], [1, 2]]
    assert heading.raw_get("/Pg").idnum == paragraph.raw_get("/Pg").idnum == page.indirect_reference.idnum
    assert page["/StructParents"] == 0 and page["/Tabs"] == "/S"
    by_mcid = tree["/ParentTree"]["/Nums"][1]
    assert [parent.idnum for parent in by_mcid] == [heading.indirect_reference.idnum] + [
        paragraph.indirect_reference.idnum
    ] * 2
    link = paragraph["/K"][2].get_object()
    (annotation,) = page["/Annots"]
    assert link["/S"] == "/Link" and link["/K"][0].raw_get("/Obj").idnum == annotation.idnum
    assert annotation.get_object()["/StructParent"] == 1 and annotation.get_object()["/Contents"] == "Un enlace"


def test_text_outside_an_element_is_refused():
    tags = PageTags(Canvas(io.BytesIO()))
    with pytest.raises(RuntimeError), tags.text():
        pass
