"""The certificate PDF: what it says, its QR code, its fonts, its attached credential, and hostile strings."""

import dataclasses
import html
import io
import itertools
import json
import random
import re
import shutil
import subprocess
import unicodedata

import pytest
import zxingcpp
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream
from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from app.certificates.pdf import CertificateSheet, fitting, layout, read_attachment, render, sheets

DPI = 150
# A word in `pdftotext -bbox` output, in points from the top left of the page.
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
CREDENTIAL = json.dumps({"type": ["VerifiableCredential"], "proof": {"proofValue": "z" + "3mFq" * 500}}).encode()
SPANISH = CertificateSheet(
    language="es",
    heading="Constancia de Inducción en Integridad Pública",
    presented_to="otorgada a",
    holder_name="María Ñahui Quispe",
    statement="por haber completado el curso “Inducción en Integridad Pública” (12 horas).",
    facts=(("Emitido el", "14 de marzo de 2025"), ("Válido hasta", "14 de marzo de 2027")),
    academy="Academia de Integridad",
    issuers=("Secretaría de Integridad Pública — Presidencia del Consejo de Ministros",),
    serial_label="Código",
    serial="7K2M-9QXD-4HTR",
    verify_url="https://academia.integridad.gob.pe/verify/7K2M-9QXD-4HTR",
    how_to_verify=(
        "Verifique esta constancia en https://academia.integridad.gob.pe/verify/7K2M-9QXD-4HTR "
        "o escaneando el código QR."
    ),
    title="Constancia de Inducción en Integridad Pública — María Ñahui Quispe",
    attachment=CREDENTIAL,
)
ENGLISH = dataclasses.replace(
    SPANISH,
    language="en",
    heading="Certificate of Induction in Public Integrity",
    presented_to="awarded to",
    statement="for completing the course “Induction in Public Integrity” (12 hours).",
    facts=(("Issued on", "March 14, 2025"), ("Valid until", "March 14, 2027")),
    serial_label="Serial",
    how_to_verify="Verify this certificate at https://academia.integridad.gob.pe/verify/7K2M-9QXD-4HTR or by scanning the QR code.",
    title="Certificate of Induction in Public Integrity — María Ñahui Quispe",
)
COMPANY = dataclasses.replace(
    SPANISH,
    heading="Constancia de Integridad Empresarial",
    presented_to="otorgada a la empresa",
    holder_name="Constructora Andina del Sur S.A.C.",
    holder_detail="RUC 20131312955",
)
COHORT = dataclasses.replace(
    SPANISH,
    issuers=(
        "Secretaría de Integridad Pública — Presidencia del Consejo de Ministros",
        "Facilitadora: Rosa Huamán Ccori",
        "Impartido por: Gobierno Regional de Ayacucho",
    ),
)
NO_EXPIRY = dataclasses.replace(
    SPANISH, facts=(("Emitido el", "14 de marzo de 2025"), ("Válido hasta", "Sin vencimiento"))
)
LONG_PERSON = " ".join(["María Fernanda de los Ángeles Ñahuincopa Huamaní"] * 5)[:200]
COMPANY_NAME = "Corporación Agroindustrial y Minera de Servicios Generales Integrales del Sur Andino Ñawpa Wasi "
LONG_COMPANY = (COMPANY_NAME * 3)[:200]


@pytest.mark.parametrize(
    "sheet",
    [SPANISH, ENGLISH, COMPANY, COHORT, NO_EXPIRY],
    ids=["spanish", "english", "company", "cohort", "no-expiry"],
)
def test_every_string_of_the_sheet_is_printed_on_one_a4_landscape_page(sheet, tmp_path):
    data = render(sheet)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert [round(float(side)) for side in reader.pages[0].mediabox[2:]] == [842, 595]
    assert reader.trailer["/Root"]["/Lang"] == sheet.language
    assert reader.metadata.title == sheet.title
    text = _words(_pdftotext(data, tmp_path))
    strings = [
        sheet.heading,
        sheet.presented_to,
        sheet.holder_name,
        sheet.statement,
        sheet.academy,
        sheet.serial_label,
        sheet.serial,
        sheet.how_to_verify,
    ]
    strings += [*itertools.chain.from_iterable(sheet.facts), *sheet.issuers, sheet.holder_detail or ""]
    for string in strings:
        assert _words(string) in text


@pytest.mark.parametrize("sheet", [SPANISH, ENGLISH, COMPANY], ids=["spanish", "english", "company"])
def test_the_pdf_is_tagged_in_its_language_and_shows_its_title(sheet, tmp_path):
    data = render(sheet)
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == sheet.language
    assert (
        catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    )  # the title, not the file name, in the window
    assert reader.metadata.title == sheet.title
    assert reader.xmp_metadata.dc_title == {"x-default": sheet.title}
    assert reader.xmp_metadata.dc_language == [sheet.language]
    info = _pdfinfo(data, tmp_path)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert float(re.search(r"^PDF version:\s+([\d.]+)$", info, re.MULTILINE)[1]) >= 1.5  # /Tabs needs 1.5


@pytest.mark.parametrize("sheet", [SPANISH, ENGLISH, COMPANY, COHORT], ids=["spanish", "english", "company", "cohort"])
def test_a_screen_reader_reads_the_printed_text_in_order_as_a_heading_and_paragraphs(sheet, tmp_path):
    expected = [("H1", [sheet.heading]), ("P", [sheet.presented_to]), ("P", [sheet.holder_name])]
    expected += [("P", [sheet.holder_detail])] if sheet.holder_detail else []
    expected += [("P", [sheet.statement])]
    expected += [("P", [label, value]) for label, value in sheet.facts]
    expected += [("P", [sheet.academy, sheet.issuers[0]])] + [("P", [issuer]) for issuer in sheet.issuers[1:]]
    expected += [("P", [sheet.serial_label, sheet.serial]), ("P", [sheet.how_to_verify])]
    squeezed = [(role, ["".join(text.split()) for text in texts]) for role, texts in expected]
    # Poppler joins a wrapped line to the next without a space, so spaces are left out of the comparison.
    assert _structure(render(sheet), tmp_path) == squeezed


def test_every_structure_element_points_at_the_page_and_the_page_at_its_marked_content():
    reader = PdfReader(io.BytesIO(render(COHORT)))
    page = reader.pages[0]
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    (document,) = tree["/K"]
    elements = [kid.get_object() for kid in document.get_object()["/K"]]
    assert {element.raw_get("/Pg").idnum for element in elements} == {page.indirect_reference.idnum}
    numbers = tree["/ParentTree"]["/Nums"]
    assert numbers[0] == page["/StructParents"] == 0
    parents = numbers[1]  # by MCID, the element each marked sequence on the page belongs to
    marked = [(mcid, element) for element in elements for mcid in element["/K"] if isinstance(mcid, int)]
    assert len(parents) == len(marked) > len(elements)
    for mcid, element in marked:
        assert parents[mcid].get_object() is element
    assert tree["/ParentTreeNextKey"] == 2  # the page's key, then the link's


def test_the_link_on_the_qr_code_is_tagged_inside_the_line_on_how_to_verify():
    reader = PdfReader(io.BytesIO(render(SPANISH)))
    page = reader.pages[0]
    (reference,) = page["/Annots"]
    annotation = reference.get_object()
    assert annotation["/A"]["/URI"] == SPANISH.verify_url
    assert annotation["/Contents"] == SPANISH.how_to_verify
    assert page["/Tabs"] == "/S"  # keyboard focus follows the structure
    numbers = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    link = dict(zip(numbers[::2], numbers[1::2], strict=True))[annotation["/StructParent"]].get_object()
    assert link["/S"] == "/Link"
    (objr,) = link["/K"]
    assert objr["/Type"] == "/OBJR" and objr.raw_get("/Obj").idnum == reference.idnum
    paragraph = link["/P"].get_object()
    assert paragraph["/K"][-1].get_object() is link
    text = PdfReader(io.BytesIO(render(SPANISH))).pages[0].extract_text()
    assert "".join(SPANISH.how_to_verify.split()) in "".join(text.split())


def test_text_is_drawn_only_inside_its_element_and_the_frames_rules_and_qr_code_as_artifacts():
    reader = PdfReader(io.BytesIO(render(COHORT)))
    operations = ContentStream(reader.pages[0].get_contents(), reader).operations
    open_sequences, painted = [], {"text": [], "artifact": []}
    for operands, operator in operations:
        if operator == b"BDC":
            open_sequences.append(operands[1]["/MCID"])
        elif operator == b"BMC":
            open_sequences.append(operands[0])
        elif operator == b"EMC":
            open_sequences.pop()
        elif operator in (b"Tj", b"TJ", b"'", b'"', b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
            assert open_sequences, f"{operator} outside any marked sequence"
            kind = "artifact" if open_sequences[-1] == "/Artifact" else "text"
            painted[kind].append(operator)
    assert not open_sequences
    assert set(painted["text"]) <= {b"Tj", b"TJ"} and painted["text"]
    assert set(painted["artifact"]) == {b"S", b"f*"}  # rules and frames stroked, the QR code and ornaments filled


@pytest.mark.parametrize(
    ("sheet", "name"),
    [(SPANISH, SPANISH.holder_name), (COMPANY, COMPANY.holder_name), (SPANISH, LONG_PERSON), (COMPANY, LONG_COMPANY)],
    ids=["person", "company", "long-person", "long-company"],
)
def test_the_holders_name_is_the_largest_text_on_the_page(sheet, name):
    placed = layout.placed(layout.place(dataclasses.replace(sheet, holder_name=name)))
    (holder,) = [item for item in placed if item.text.style == layout.HOLDER_NAME.style]
    assert all(item.text.size < holder.text.size for item in placed if item is not holder)


@pytest.mark.parametrize(
    ("language", "heading", "statement"),
    [
        ("es", "Ciudadano por la Integridad", "por haber completado este curso ("),
        ("en", "Citizen for Integrity", "for completing this course ("),
    ],
)
def test_a_course_called_as_its_certificate_is_named_once_in_the_heading(
    app, issue_certificate, monkeypatch, language, heading, statement, tmp_path
):
    certificate = issue_certificate()  # a citizen's certificate
    # As the citizen-integrity course is: its title is the certificate's name.
    monkeypatch.setattr(sheets.queries, "course_title", lambda certificate, language: heading)
    with app.test_request_context():
        sheet = sheets.sheet_for(certificate, language)
    assert sheet.heading == heading and sheet.statement.startswith(statement)
    assert _words(_pdftotext(render(sheet), tmp_path)).count(heading) == 1


def test_a_course_called_otherwise_is_named_in_the_statement_under_the_heading(app, issue_certificate):
    certificate = issue_certificate(slug="integrity-induction")
    with app.test_request_context():
        sheet = sheets.sheet_for(certificate, "es")
    assert sheet.heading == "Constancia de Inducción en Integridad Pública"
    assert sheet.statement.startswith("por haber completado el curso «Módulo de Inducción en Integridad» (")
    assert sheet.academy == "Academia de Integridad"
    assert sheet.issuers == ("Secretaría de Integridad Pública — Presidencia del Consejo de Ministros",)
    assert sheet.how_to_verify == f"Verifique esta constancia en {sheet.verify_url} o escaneando el código QR."


def test_a_company_certificate_names_the_company_its_ruc_and_its_commitment_once(app, issue_certificate, monkeypatch):
    certificate = issue_certificate()
    certificate.type, certificate.holder_name, certificate.holder_ruc = "business", "Andina S.A.C.", "20131312955"
    monkeypatch.setattr(sheets.queries, "course_title", lambda certificate, language: "Empresa por la Integridad")
    with app.test_request_context():
        sheet = sheets.sheet_for(certificate, "es")
    assert (sheet.heading, sheet.presented_to) == ("Empresa por la Integridad", "otorgada a la empresa")
    assert (sheet.holder_name, sheet.holder_detail) == ("Andina S.A.C.", "RUC 20131312955")
    assert sheet.statement.startswith("por haber completado este curso (")
    assert sheet.statement.endswith("y haberse comprometido con la integridad en su relación con el Estado.")


def test_qr_code_decodes_to_the_verification_url(tmp_path):
    image = _rasterise(render(COHORT), tmp_path)
    codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes if code.format == zxingcpp.BarcodeFormat.QRCode] == [COHORT.verify_url]


def test_qr_code_is_drawn_as_vectors_not_as_an_image():
    page = PdfReader(io.BytesIO(render(SPANISH))).pages[0]
    assert "/XObject" not in page["/Resources"]


@pytest.mark.parametrize(
    "name",
    [
        "José Ñúñez Peña",
        "Renée D’Arcy O'Brien",
        "Jose\u0301 Nun\u0303ez",  # combining acute and tilde, not the precomposed letters
        "Ṣọlá Ọ̀ṣun Łukasz Øye",
    ],
)
def test_holder_name_is_printed_exactly_as_entered(name, tmp_path):
    assert name in _pdftotext(render(dataclasses.replace(SPANISH, holder_name=name)), tmp_path)


def test_bidi_controls_are_dropped_so_they_cannot_reorder_the_name(tmp_path):
    sheet = dataclasses.replace(SPANISH, holder_name="Ana \u202eZorro Vega\u202c \u2067Díaz\u2069")
    text = _pdftotext(render(sheet), tmp_path)
    assert "Ana Zorro Vega Díaz" in text
    assert not set(text) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def test_markup_looking_strings_are_printed_literally_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    # CVE-2023-33733: ReportLab's Paragraph markup evaluated this colour expression.
    exploit = (
        "<font color=\"[ [ getattr(pow,Word('__globals__'))['os'].system('touch " + str(marker) + "') "
        "for Word in [orgTypeFun('Word', (str,), { 'mutated': 1, 'startswith': lambda self, x: False, "
        "'__eq__': lambda self,x: self.mutate() and self.mutated < 0 and str(self) == x, "
        "'mutate': lambda self: {setattr(self, 'mutated', self.mutated - 1)}, "
        "'__hash__': lambda self: hash(str(self)) })] ] for orgTypeFun in [type(type(1))] ] and 'red'\">x</font>"
    )
    strings = ["<b>x</b> &amp; <i>y", "&lt;script&gt; <br/> <para>", exploit]
    for string in strings:
        sheet = dataclasses.replace(
            COMPANY,
            holder_name=string,
            holder_detail=string,
            statement=string,
            issuers=(string,),
            facts=((string[:12], string[:20]),),
            title=string,
        )
        data = render(sheet)
        assert _words(string) in _words(_pdftotext(data, tmp_path))
        assert PdfReader(io.BytesIO(data)).metadata.title == string
    assert not marker.exists()


@pytest.mark.parametrize(
    ("sheet", "name"),
    [
        (SPANISH, LONG_PERSON),
        (COMPANY, LONG_COMPANY),
        (COHORT, "Ŵ" * 200),  # no space to break at, and the widest letters
        (COHORT, "W\u0302" * 100),  # Ŵ spelt as W and a combining circumflex: each mark stays with its letter
        (SPANISH, " ".join([LONG_PERSON] * 10)),  # longer than services allow; still whole, only smaller
    ],
    ids=["person", "company", "unbroken", "unbroken-combining", "2000-characters"],
)
def test_a_200_character_name_is_printed_whole_inside_its_box(sheet, name, tmp_path):
    sheet = dataclasses.replace(sheet, holder_name=name)
    data = render(sheet)
    text = _pdftotext(data, tmp_path)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    if " " in name:
        assert _words(name) in _words(text)
    else:
        assert name in "".join(text.split())
    assert not [line for line in text.splitlines() if line and unicodedata.combining(line[0])]
    _assert_inside_the_margin_without_overlap(layout.placed(layout.place(sheet)), _word_boxes(data, tmp_path))


def test_a_200_character_entity_is_printed_whole_under_its_signature_rule(tmp_path):
    entity = f"Impartido por: {LONG_COMPANY}"
    sheet = dataclasses.replace(COHORT, issuers=(*COHORT.issuers[:2], entity))
    blocks = layout.place(sheet)
    column = layout.issuer_columns(3)[-1]
    (last_issuer,) = blocks[-3].items  # the last issuer, then the serial and the line on how to verify
    assert last_issuer.box.top <= column.top - layout.ISSUER_RULE_GAP
    placed = layout.placed(blocks)
    data = render(sheet)
    assert _words(entity) in _words(_pdftotext(data, tmp_path))
    _assert_inside_the_margin_without_overlap(placed, _word_boxes(data, tmp_path))


def test_a_wrapped_issuer_gets_lines_of_even_length_and_the_address_to_verify_stays_whole(tmp_path):
    text = _pdftotext(render(SPANISH), tmp_path)
    assert "Secretaría de Integridad Pública —\nPresidencia del Consejo de Ministros\n" in text
    assert f"{SPANISH.how_to_verify}\n" in text


def test_every_string_at_200_characters_still_stays_inside_the_margin_without_overlap(tmp_path):
    long = ("Ñandú Ángeles-Quispe/Huamán " * 10)[:200]
    sheet = CertificateSheet(
        language="es",
        heading=long,
        presented_to=long,
        holder_name=long,
        holder_detail=long,
        statement=long * 2,
        facts=((long, long),) * 12,
        academy=long,
        issuers=(long,) * 4,
        serial_label=long,
        serial=long,
        verify_url=f"https://academia.integridad.gob.pe/verify/{'X' * 200}",
        how_to_verify=f"{long} https://academia.integridad.gob.pe/verify/{'X' * 200} {long}",
        title=long,
        attachment=CREDENTIAL,
    )
    data = render(sheet)
    _assert_inside_the_margin_without_overlap(layout.placed(layout.place(sheet)), _word_boxes(data, tmp_path))
    image = _rasterise(data, tmp_path)
    for band in _margin_bands(image.size):
        assert image.crop(band).convert("L").getextrema() == (255, 255), band


@pytest.mark.parametrize(
    ("sheet", "name"), [(SPANISH, LONG_PERSON), (COMPANY, LONG_COMPANY)], ids=["person", "company"]
)
def test_a_200_character_name_leaves_ink_only_inside_its_box_and_none_near_the_page_edge(sheet, name, tmp_path):
    image = _rasterise(render(dataclasses.replace(sheet, holder_name=name)), tmp_path)
    for band in _margin_bands(image.size):
        assert image.crop(band).convert("L").getextrema() == (255, 255), band
    # Alone on the page, so that nothing moves when it goes: the ink it adds is the name's own.
    alone = dataclasses.replace(
        sheet, heading="", presented_to="", holder_name=name, holder_detail=None, statement="", facts=(), issuers=()
    )
    blank = dataclasses.replace(alone, holder_name="")
    difference = ImageChops.difference(
        _rasterise(render(alone), tmp_path).convert("L"), _rasterise(render(blank), tmp_path).convert("L")
    )
    holder = layout.place(alone)[0].items[0]
    assert holder.text.style == layout.HOLDER_NAME.style
    left, top, right, bottom = difference.getbbox()
    box_left, box_top, box_right, box_bottom = _pixels(holder.box)
    assert box_left - 3 <= left and right <= box_right + 3  # 3 pixels of anti-aliasing
    # Strictly inside vertically: ink touching an edge would mean the clip had cut off accents or descenders.
    assert box_top < top and bottom < box_bottom


def test_a_short_name_keeps_the_preferred_size_and_a_long_one_shrinks_before_wrapping():
    layout.register_fonts()
    style, box = layout.HOLDER_NAME.style, layout.HOLDER_NAME.box
    short = fitting.fit("Ana Díaz", style, box)
    assert (short.lines, short.size) == (1, style.size)
    medium = fitting.fit("María Fernanda de los Ángeles Ñahuincopa Huamaní", style, box)
    assert medium.lines == 1 and style.min_size <= medium.size < style.size
    long = fitting.fit(LONG_PERSON, style, box)
    assert long.lines > 1 and long.size <= style.min_size


def test_fonts_are_embedded_truetype_subsets_and_no_standard_font_is_used():
    data = render(COHORT)
    fonts = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]
    assert fonts
    for font in fonts.values():
        font = font.get_object()
        assert "+DejaVu" in font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"]
    for standard in (b"Helvetica", b"Times-", b"Courier", b"Symbol", b"ZapfDingbats"):
        assert standard not in data


def test_the_same_sheet_draws_the_same_page():
    first, second = (PdfReader(io.BytesIO(render(COHORT))).pages[0] for _ in range(2))
    assert first.get_contents().get_data() == second.get_contents().get_data()


def test_credential_is_attached_as_a_json_file_in_the_documents_name_tree():
    reader = PdfReader(io.BytesIO(render(SPANISH)))
    assert reader.attachments == {"credential.json": [CREDENTIAL]}
    (filespec,) = reader.attachment_list
    filespec = filespec.pdf_object
    assert filespec["/AFRelationship"] == "/Data"
    assert filespec["/UF"] == "credential.json"
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"


def test_read_attachment_returns_the_embedded_credential_byte_for_byte():
    assert read_attachment(render(SPANISH), "credential.json", max_bytes=64_000) == CREDENTIAL


def _pdf_without_attachment() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 72, "credential.json")
    canvas.save()
    return buffer.getvalue()


def _encrypted_certificate() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render(SPANISH))))
    writer.encrypt("secret", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "make_upload",
    [
        lambda: b"",
        lambda: random.Random(1).randbytes(50_000),
        lambda: "Nombre: María\nCertificado: sí\n".encode() * 100,
        lambda: b"%PDF-1.7\n" + random.Random(2).randbytes(50_000),
        lambda: render(SPANISH)[:5_000],
        lambda: render(SPANISH)[: len(render(SPANISH)) - 200],
        _pdf_without_attachment,
        _encrypted_certificate,
        lambda: render(dataclasses.replace(SPANISH, attachment=b"{" + b" " * 10_000_000 + b"}")),
        lambda: render(dataclasses.replace(SPANISH, attachment_name="other.json")),
    ],
    ids=[
        "empty",
        "random-bytes",
        "text-file",
        "pdf-magic-then-garbage",
        "truncated-early",
        "truncated-late",
        "no-attachment",
        "encrypted",
        "10-mb-attachment",
        "other-file-name",
    ],
)
def test_read_attachment_answers_none_for_anything_but_our_attachment_within_the_limit(make_upload, caplog):
    assert read_attachment(make_upload(), "credential.json", max_bytes=64_000) is None
    assert not [record for record in caplog.records if record.name.startswith("pypdf")]


def test_a_compressed_bomb_stops_inflating_at_the_limit():
    bomb = render(dataclasses.replace(SPANISH, attachment=bytes(40 * 1024 * 1024)))
    assert len(bomb) < 1024 * 1024  # forty megabytes of zeros, deflated
    assert read_attachment(bomb, "credential.json", max_bytes=64_000) is None


def test_read_attachment_never_raises_on_a_damaged_certificate(monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)  # the same bytes every run, so the same damage
    original = render(COHORT)
    chance = random.Random(3)
    for _ in range(200):
        damaged = bytearray(original)
        for _ in range(chance.randint(1, 20)):
            damaged[chance.randrange(len(damaged))] = chance.randrange(256)
        found = read_attachment(bytes(damaged), "credential.json", max_bytes=64_000)
        # Damage may leave a different file behind (a broken /Filter, say); the signature check refuses it later.
        assert found is None or (isinstance(found, bytes) and len(found) <= 64_000)


def _assert_inside_the_margin_without_overlap(
    placed: list[layout.Placed], words: list[tuple[str, fitting.Box]]
) -> None:
    for item in placed:
        assert item.text.height <= item.box.height + 0.01
        assert item.text.width <= item.box.width + 0.01
        assert item.box.x >= layout.MARGIN and item.box.x + item.box.width <= layout.PAGE_WIDTH - layout.MARGIN
        assert item.box.y >= layout.MARGIN and item.box.top <= layout.PAGE_HEIGHT - layout.MARGIN
    # Each box as far as its text may be drawn: glyphs may overhang sideways by OVERHANG ems.
    boxes = [_widened(item.box, item.text.size * fitting.OVERHANG) for item in placed] + [layout.QR_CODE]
    for first, second in itertools.combinations(boxes, 2):
        assert not _overlap(first, second), (first, second)
    # What was drawn, measured by a text extractor, which ignores the clip: no word reaches outside a box.
    assert words
    for word, extent in words:
        assert any(_within(extent, item.box) for item in placed), (word, extent)


def _word_boxes(data: bytes, tmp_path) -> list[tuple[str, fitting.Box]]:
    """Every word pdftotext finds, with the box it reports: its advance width, and one em from its descent."""
    source = tmp_path / "certificate.pdf"
    source.write_bytes(data)
    completed = subprocess.run(
        [_poppler("pdftotext"), "-bbox", "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True, timeout=60
    )
    words = []
    for match in _WORD.finditer(completed.stdout.decode()):
        left, top, right, bottom = map(float, match.groups()[:4])
        words.append(
            (html.unescape(match[5]), fitting.Box(left, layout.PAGE_HEIGHT - bottom, right - left, bottom - top))
        )
    return words


def _within(inner: fitting.Box, outer: fitting.Box) -> bool:
    return (
        outer.x - 0.01 <= inner.x
        and inner.x + inner.width <= outer.x + outer.width + 0.01
        and outer.y - 0.01 <= inner.y
        and inner.top <= outer.top + 0.01
    )


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise RuntimeError(f"{tool} is missing: install Debian's poppler-utils (apt-get install poppler-utils)")
    return path


def _pdftotext(data: bytes, tmp_path) -> str:
    source = tmp_path / "certificate.pdf"
    source.write_bytes(data)
    completed = subprocess.run(
        [_poppler("pdftotext"), "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True, timeout=60
    )
    return completed.stdout.decode()


def _pdfinfo(data: bytes, tmp_path, *options: str) -> str:
    source = tmp_path / "certificate.pdf"
    source.write_bytes(data)
    completed = subprocess.run(
        [_poppler("pdfinfo"), *options, str(source)], capture_output=True, check=True, timeout=60
    )
    return completed.stdout.decode()


def _structure(data: bytes, tmp_path) -> list[tuple[str, list[str]]]:
    """The elements under /Document as Poppler reads them (`pdfinfo -struct-text`): each one's role and the
    text of each of its marked sequences, spaces left out."""
    elements = []
    for line in _pdfinfo(data, tmp_path, "-struct-text").splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        if depth == 1:
            elements.append((line.split()[0], []))
        elif depth == 2 and line.strip().startswith('"'):
            elements[-1][1].append("".join(line.strip()[1:-1].split()))
    return elements


def _rasterise(data: bytes, tmp_path) -> Image.Image:
    source = tmp_path / "certificate.pdf"
    source.write_bytes(data)
    subprocess.run(
        [_poppler("pdftoppm"), "-r", str(DPI), "-png", "-singlefile", str(source), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    with Image.open(tmp_path / "page.png") as image:
        return image.convert("RGB")


def _words(text: str) -> str:
    return " ".join(text.split())


def _overlap(first: fitting.Box, second: fitting.Box) -> bool:
    return (
        first.x < second.x + second.width
        and second.x < first.x + first.width
        and first.y < second.top
        and second.y < first.top
    )


def _widened(box: fitting.Box, by: float) -> fitting.Box:
    return fitting.Box(box.x - by, box.y, box.width + 2 * by, box.height)


def _pixels(box: fitting.Box) -> tuple[int, int, int, int]:
    """*box* in the raster's pixels, with the origin at the top left."""
    scale = DPI / 72
    return (
        round(box.x * scale),
        round((layout.PAGE_HEIGHT - box.top) * scale),
        round((box.x + box.width) * scale),
        round((layout.PAGE_HEIGHT - box.y) * scale),
    )


def _margin_bands(size: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    """The white strips between the page edge and the outer frame, and between the inner frame and MARGIN."""
    width, height = size
    scale = DPI / 72
    bands = []
    for near, far in ((0, layout.OUTER_FRAME - 2), (layout.INNER_FRAME + 1.5, layout.MARGIN)):
        a, b = int(near * scale) + 1, int(far * scale) - 1
        bands += [(a, a, width - a, b), (a, height - b, width - a, height - a)]  # top, bottom
        bands += [(a, a, b, height - a), (width - b, a, width - a, height - a)]  # left, right
    return bands


def test_reportlab_draws_with_its_c_accelerators():
    """Installed as a dependency: without them every number written into the PDF goes through Python."""
    from reportlab.lib import rl_accel

    assert type(rl_accel.fp_str).__name__ == "builtin_function_or_method"
    assert type(rl_accel.asciiBase85Encode).__name__ == "builtin_function_or_method"
