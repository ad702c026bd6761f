import re

from flask import render_template_string

from app.organisations import roles
from tests import factories

FRAGMENT = "{% cache 'test', key %}{{ render() }}{% endcache %}"


def test_a_kept_fragment_is_rendered_once_per_key(app):
    calls = []

    def render():
        calls.append(1)
        return f"rendered {len(calls)}"

    with app.test_request_context():
        first = render_template_string(FRAGMENT, key="a", render=render)
        assert render_template_string(FRAGMENT, key="a", render=render) == first == "rendered 1"
        assert render_template_string(FRAGMENT, key="b", render=render) == "rendered 2"
    assert len(calls) == 2


def test_nothing_is_kept_while_templates_reload(app):
    calls = []
    app.jinja_env.auto_reload = True
    try:
        with app.test_request_context():
            for _ in range(2):
                render_template_string(FRAGMENT, key="reloading", render=lambda: calls.append(1) or "")
    finally:
        app.jinja_env.auto_reload = False
    assert len(calls) == 2


def test_each_visitor_gets_their_own_navigation_and_csrf_tokens(app, world, login_as):
    learner = world.users["learner"]
    officer = factories.make_member(world.entity, roles.INTEGRITY_OFFICER, second_factor=True)
    pages = {}
    for name, user in (("anonymous", None), ("learner", learner), ("officer", officer), ("again", learner)):
        client = app.test_client()
        if user is not None:
            login_as(client, user)
        pages[name] = client.get("/learning" if user else "/").get_data(as_text=True)
    assert "Iniciar sesión" in pages["anonymous"] and "Cerrar sesión" not in pages["anonymous"]
    assert "Cerrar sesión" in pages["learner"] and 'href="/admin/"' not in pages["learner"]
    assert 'href="/admin/"' in pages["officer"]
    assert 'href="/learning" aria-current="page"' in pages["learner"]
    assert 'href="/" aria-current="page"' in pages["anonymous"]
    tokens = {name: set(re.findall(r'name="csrf_token" value="([^"]+)"', page)) for name, page in pages.items()}
    assert len(tokens["learner"]) == 1 and tokens["learner"].isdisjoint(tokens["again"])
