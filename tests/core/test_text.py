from app.core.text import clean_line


def test_names_keep_accents_enye_and_apostrophes():
    assert clean_line("  María  Ñahui  O'Higgins ") == "María Ñahui O'Higgins"


def test_control_and_bidi_override_characters_are_removed():
    assert clean_line("Ana\u202eacirC\x00\x07 Pérez\r\nRojas") == "AnaacirC Pérez Rojas"


def test_text_is_nfc_normalised():
    assert clean_line("Jose\u0301") == "José"
