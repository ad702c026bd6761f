"""The main menu: who sees which link, and that its kept fragment never shows one visitor another's links."""

from html.parser import HTMLParser

import pytest
from flask import url_for

from app import navigation

ANONYMOUS = ["Inicio", "Cursos", "Iniciar sesión", "Crear una cuenta"]
SIGNED_IN = ["Inicio", "Cursos", "Mi aprendizaje", "Mis constancias", "Mi cuenta"]
OFFICER = ["Inicio", "Cursos", "Mi aprendizaje", "Mis constancias", "Administración", "Mi cuenta"]


@pytest.mark.parametrize(
    ("who", "path", "labels", "current"),
    [
        (None, "/", ANONYMOUS, "Inicio"),
        (None, "/courses/using-the-academy", ANONYMOUS, "Cursos"),
        ("citizen", "/learning", SIGNED_IN, "Mi aprendizaje"),
        ("learner", "/courses", SIGNED_IN, "Cursos"),
        ("learner", "/verify", SIGNED_IN, None),
        ("integrity_officer", "/admin/", OFFICER, "Administración"),
        ("sip_admin", "/", OFFICER, "Inicio"),
    ],
)
def test_each_visitor_sees_the_links_meant_for_them_and_which_page_they_are_on(
    app, world, login_as, who, path, labels, current
):
    client = app.test_client()
    if who is not None:
        login_as(client, world.users[who])
    menu = _Menu(client.get(path).get_data(as_text=True))
    assert [label for label, _href, _current in menu.links] == labels
    assert [label for label, _href, is_current in menu.links if is_current] == ([current] if current else [])
    with app.test_request_context():
        addresses = {link.endpoint: url_for(link.endpoint) for link in navigation.LINKS}
    assert all(href in addresses.values() for _label, href, _current in menu.links)
    assert menu.signs_out == (who is not None)


def test_a_link_behind_its_own_permission_is_never_served_from_the_cache_to_anyone_else(
    app, world, login_as, monkeypatch
):
    allowed, other = world.users["learner"], world.other_learner
    only_for_one = navigation.Link(
        "public.privacy", "Solo para una persona", lambda user: user.is_authenticated and user.id == allowed.id
    )
    monkeypatch.setattr(navigation, "LINKS", [*navigation.LINKS, only_for_one])
    pages = []
    for user in (allowed, other, allowed, None):
        client = app.test_client()
        if user is not None:
            login_as(client, user)
        pages.append(client.get("/courses").get_data(as_text=True))
    seen = [[label for label, _href, _current in _Menu(page).links] for page in pages]
    assert seen[0] == seen[2] == [*SIGNED_IN, "Solo para una persona"]
    assert seen[1] == SIGNED_IN and seen[3] == ANONYMOUS
    assert "Solo para una persona" not in pages[1] + pages[3]


class _Menu(HTMLParser):
    """The main menu of a page as a visitor meets it: each link's words, address and whether it is this page."""

    def __init__(self, page):
        super().__init__()
        self.links, self.signs_out = [], False
        self._inside, self._link = False, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "site-nav" in (attrs.get("class") or "").split():
            self._inside = True
        elif self._inside and tag == "a":
            self._link = ["", attrs["href"], attrs.get("aria-current") == "page"]
        elif self._inside and tag == "form" and attrs.get("action", "").endswith("/logout"):
            self.signs_out = True

    def handle_endtag(self, tag):
        if tag == "nav":
            self._inside = False
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0].strip(), self._link[1], self._link[2]))
            self._link = None

    def handle_data(self, data):
        if self._link is not None:
            self._link[0] += data
