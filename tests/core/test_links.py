from app.core.links import find_urls, link_urls


def test_find_urls_lists_http_and_https_addresses_without_the_punctuation_after_them():
    text = "Abra https://academia.gob.pe/verify-email/a.b-c_d. Luego (http://localhost/login), nada más: ftp://x"
    assert find_urls(text) == ["https://academia.gob.pe/verify-email/a.b-c_d", "http://localhost/login"]


def test_link_urls_escapes_the_text_and_makes_only_http_addresses_links():
    html = link_urls('<b>Hola</b> & "adiós": https://academia.gob.pe/reset?a=1&b=2. javascript:alert(1) www.x.pe')
    assert html == (
        "&lt;b&gt;Hola&lt;/b&gt; &amp; &#34;adiós&#34;: "
        '<a class="secret" href="https://academia.gob.pe/reset?a=1&amp;b=2" rel="noreferrer">'
        "https://academia.gob.pe/reset?a=1&amp;b=2</a>. javascript:alert(1) www.x.pe"
    )


def test_an_address_cannot_break_out_of_its_link():
    html = link_urls('http://x.pe/"onmouseover="alert(1) http://y.pe/<script>')
    assert "<script>" not in html
    assert 'href="http://x.pe/"' in html
    assert html.count("<a ") == 2
