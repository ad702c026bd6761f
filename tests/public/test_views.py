"""What a visitor sees: home, privacy notice, language switcher, the catalogue and a course's page."""

import html
import re

import pytest

from app.catalog import content
from app.catalog import services as catalog_services
from app.extensions import db
from app.organisations import roles
from tests import factories
from tests.csrf import csrf_token

ONE_YEAR = 365 * 24 * 3600


def _page(client, path, **options):
    response = client.get(path, **options)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _switch_language(client, language, next_url=None):
    form = {"language": language, "csrf_token": csrf_token(client)}
    if next_url is not None:
        form["next"] = next_url
    return client.post("/language", data=form)


def _language_cookie(response):
    return next((c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang=")), None)


def _course_links(page):
    return set(_course_links_in_order(page))


def _course_links_in_order(page):
    return re.findall(r'<h2><a href="/courses/([a-z0-9-]+)">', page)


def _sync(slug):
    catalog_services.sync_package(content.load_package(factories.COURSES / slug))
    db.session.commit()
    return factories.get_course(slug)


# --- Home and privacy notice -------------------------------------------------------------------------


def test_home_lists_the_five_programmes_and_links_those_with_a_published_course(client):
    page = _page(client, "/")
    assert '<h3><a href="/courses/integrity-induction">Módulo de Inducción en Integridad</a></h3>' in page
    for unpublished in ("Formación de Formadores", "Inducción para Gobernadores"):
        assert f"<h3>{unpublished}</h3>" in page
    assert '<h3><a href="/courses/citizen-integrity">Ciudadano por la Integridad</a></h3>' in page
    assert "<h3>Empresa por la Integridad</h3>" in page
    assert 'href="/courses">Ver todos los cursos</a>' in page


def test_home_links_a_programme_as_soon_as_its_course_is_published(client):
    _sync("train-the-trainer")
    page = _page(client, "/")
    assert '<h3><a href="/courses/train-the-trainer">Formación de Formadores</a></h3>' in page


def test_home_invites_a_visitor_to_register_and_greets_someone_signed_in(client, world, login_as):
    hero = re.compile(r'<section class="hero">(.*?)</section>', re.S)
    anonymous = hero.search(_page(client, "/")).group(1)
    assert 'href="/register"' in anonymous and 'href="/login"' in anonymous
    citizen = world.users["citizen"]
    signed_in = hero.search(_page(login_as(client, citizen), "/")).group(1)
    assert f"Le damos la bienvenida, {citizen.display_name}." in signed_in
    assert 'href="/register"' not in signed_in


def test_the_privacy_notice_says_what_is_kept_and_names_the_law(client):
    page = _page(client, "/privacy")
    assert "<h1>Aviso de privacidad</h1>" in page and "(Ley 29733)" in page
    assert "No vendemos ni compartimos sus datos" in page
    english = _page(client, "/privacy", headers={"Accept-Language": "en"})
    assert "<h1>Privacy notice</h1>" in english and "(Ley 29733)" in english


def test_every_page_links_to_the_privacy_notice(client):
    for path in ("/", "/courses", "/courses/using-the-academy", "/login"):
        assert 'href="/privacy"' in _page(client, path), path


# --- Language switcher -------------------------------------------------------------------------------


def test_choosing_a_language_keeps_it_in_a_cookie_for_a_year_and_goes_back(client):
    response = _switch_language(client, "en", next_url="/courses")
    assert response.status_code == 302 and response.headers["Location"] == "/courses"
    cookie = _language_cookie(response)
    assert cookie.startswith("lang=en;") and f"Max-Age={ONE_YEAR}" in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert '<html lang="en">' in _page(client, "/courses", headers={"Accept-Language": "es"})


def test_a_signed_in_persons_choice_is_saved_to_their_account(app, client, world, login_as):
    user = world.users["citizen"]
    assert user.locale == "es"
    _switch_language(login_as(client, user), "en")
    db.session.refresh(user)
    assert user.locale == "en"
    other_device = login_as(app.test_client(), user)
    assert '<html lang="en">' in _page(other_device, "/", headers={"Accept-Language": "es"})


def test_the_switcher_on_a_page_brings_the_visitor_back_to_that_page(client):
    page = _page(client, "/courses?access=open")
    next_url = html.unescape(re.search(r'<input type="hidden" name="next" value="([^"]*)">', page).group(1))
    assert next_url == "/courses?access=open"
    assert _switch_language(client, "en", next_url).headers["Location"] == "/courses?access=open"


def test_without_a_next_address_the_switcher_goes_home(client):
    assert _switch_language(client, "en").headers["Location"] == "/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "%2F%2Fevil.example",
        "javascript:alert(1)",
        "courses",
    ],
)
def test_the_switcher_never_sends_a_visitor_off_the_site(client, target):
    response = _switch_language(client, "en", next_url=target)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert _language_cookie(response).startswith("lang=en;")


@pytest.mark.parametrize("language", ["fr", "EN", "es-PE", ""])
def test_an_unknown_language_is_refused_and_changes_nothing(client, world, login_as, language):
    user = world.users["citizen"]
    response = _switch_language(login_as(client, user), language, next_url="/courses")
    assert response.status_code == 302 and response.headers["Location"] == "/courses"
    assert _language_cookie(response) is None
    db.session.refresh(user)
    assert user.locale == "es"


def test_the_language_cannot_be_switched_by_a_link(client):
    response = client.get("/language?language=en")
    assert response.status_code == 405 and _language_cookie(response) is None


# --- The catalogue -----------------------------------------------------------------------------------


def test_the_catalogue_is_in_the_order_of_the_titles_in_the_page_language(client):
    for slug in ("citizen-integrity", "business-integrity"):
        _sync(slug)
    spanish = _page(client, "/courses")
    english = _page(client, "/courses", headers={"Accept-Language": "en"})
    # Ciudadano, Cómo usar, Empresa, Módulo de Inducción / Business, Citizen, How to use, Integrity Induction
    assert _course_links_in_order(spanish) == [
        "citizen-integrity",
        "using-the-academy",
        "business-integrity",
        "integrity-induction",
    ]
    assert _course_links_in_order(english) == [
        "business-integrity",
        "citizen-integrity",
        "using-the-academy",
        "integrity-induction",
    ]


def test_the_catalogue_lists_every_published_course_and_who_may_enrol(client):
    page = _page(client, "/courses")
    assert _course_links(page) == {"using-the-academy", "integrity-induction", "citizen-integrity"}
    assert "Abierto a todas las personas" in page and "Restringido" in page
    assert "Está inscrito(a)" not in page


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("programme=induction", {"integrity-induction"}),
        ("programme=citizen", {"using-the-academy", "citizen-integrity"}),
        ("programme=governor", set()),
        ("access=open", {"using-the-academy", "citizen-integrity"}),
        ("access=restricted", {"integrity-induction"}),
        ("programme=induction&access=open", set()),
        # Every course has its title in both languages (the package check asks for both).
        ("language=es", {"using-the-academy", "integrity-induction", "citizen-integrity"}),
        ("language=en", {"using-the-academy", "integrity-induction", "citizen-integrity"}),
        ("programme=&language=&access=", {"using-the-academy", "integrity-induction", "citizen-integrity"}),
    ],
)
def test_the_catalogue_filters_by_programme_language_and_access(client, query, shown):
    page = _page(client, f"/courses?{query}")
    assert _course_links(page) == shown
    assert ("Ningún curso coincide con estos filtros" in page) == (not shown)


@pytest.mark.parametrize(
    "query",
    ["programme=nonsense", "language=fr", "access=closed", "access=%27%20OR%201%3D1--", "programme=" + "x" * 2000],
)
def test_a_filter_value_the_catalogue_does_not_offer_is_a_400(client, query):
    response = client.get(f"/courses?{query}")
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


def test_the_catalogue_marks_the_courses_a_learner_is_enrolled_in(client, world, login_as):
    learner = world.users["learner"]
    factories.make_enrolment(learner, slug="integrity-induction")
    page = _page(login_as(client, learner), "/courses")
    card = re.search(r'<li class="card">\s*<h2><a href="/courses/integrity-induction">.*?</li>', page, re.S).group(0)
    assert "Está inscrito(a)" in card
    assert page.count("Está inscrito(a)") == 1


# --- A course's page ---------------------------------------------------------------------------------


def test_a_visitor_sees_the_course_and_is_asked_to_sign_in_to_enrol(client):
    page = _page(client, "/courses/using-the-academy")
    assert "<h1>Cómo usar la Academia</h1>" in page
    assert "Este curso no otorga constancia" in page and "Sí, " not in page
    assert 'href="/login?next=/courses/using-the-academy">Inicie sesión para inscribirse</a>' in page
    assert "/courses/using-the-academy/enrol" not in page


def test_someone_who_may_enrol_gets_the_enrolment_form(client, world, login_as):
    page = _page(login_as(client, world.users["citizen"]), "/courses/using-the-academy")
    form = re.search(r'<form method="post" action="/courses/using-the-academy/enrol">(.*?)</form>', page, re.S)
    assert 'name="csrf_token"' in form.group(1) and "Inscribirme en este curso" in form.group(1)


def test_an_enrolled_learner_is_offered_to_continue_and_not_to_enrol_again(client, world, login_as):
    learner = world.users["learner"]
    enrolment = factories.make_enrolment(learner, slug="integrity-induction")
    page = _page(login_as(client, learner), "/courses/integrity-induction")
    assert f'href="/learning/{enrolment.id}/continue">Continuar</a>' in page
    assert "/enrol" not in page


def test_a_learner_who_finished_is_offered_to_review_the_course(app, client, world, login_as):
    learner = world.users["learner"]
    enrolment = factories.make_enrolment(learner, slug="integrity-induction")
    with app.test_request_context():
        factories.complete_course(enrolment)
    page = _page(login_as(client, learner), "/courses/integrity-induction")
    assert f'href="/learning/{enrolment.id}/continue">Repasar el curso</a>' in page


def test_someone_outside_the_audience_is_told_why_they_cannot_enrol(client, world, login_as):
    page = _page(login_as(client, world.users["citizen"]), "/courses/integrity-induction")
    assert "Este curso es para servidores públicos inscritos por su entidad." in page
    assert "Oficial de integridad" in page  # who the course is for
    assert "/enrol" not in page


def test_a_missing_prerequisite_is_named_until_it_is_completed(client, world, login_as):
    _sync("train-the-trainer")
    trainer = world.users["trainer"]
    assert trainer.active_roles == {roles.TRAINER}
    page = _page(login_as(client, trainer), "/courses/train-the-trainer")
    assert "Primero complete: Módulo de Inducción en Integridad." in page
    assert '<a href="/courses/integrity-induction">Módulo de Inducción en Integridad</a>' in page
    assert "/courses/train-the-trainer/enrol" not in page
    induction = factories.make_enrolment(trainer, slug="integrity-induction")
    induction.status = "completed"
    db.session.commit()
    page = _page(client, "/courses/train-the-trainer")
    assert "Primero complete" not in page and "/courses/train-the-trainer/enrol" in page


def test_the_course_page_follows_the_chosen_language(client):
    _switch_language(client, "en")
    page = _page(client, "/courses/integrity-induction")
    assert "<h1>Integrity Induction Module</h1>" in page and "Sign in to enrol" in page


@pytest.mark.parametrize("slug", ["no-such-course", "USING-THE-ACADEMY", "using-the-academy%00", "x" * 300])
def test_an_unknown_course_is_a_404(client, slug):
    assert client.get(f"/courses/{slug}").status_code == 404


def test_an_unpublished_course_is_a_404_and_leaves_the_catalogue(client):
    course = factories.get_course("using-the-academy")
    course.is_published = False
    db.session.commit()
    assert client.get("/courses/using-the-academy").status_code == 404
    assert "using-the-academy" not in _course_links(_page(client, "/courses"))


# --- Counts and durations in the reader's language ---------------------------------------------------


def test_the_catalogue_gives_a_courses_time_in_minutes_under_an_hour_and_in_hours_above(client):
    page = html.unescape(_page(client, "/courses"))
    assert "Alrededor de 30 minutos" in page and "Alrededor de 4 horas" in page
    assert "0,5" not in page and "4,0" not in page and "4.0" not in page
    _switch_language(client, "en")
    page = html.unescape(_page(client, "/courses"))
    assert "About 30 minutes" in page and "About 4 hours" in page
    assert "0.5" not in page and "4.0" not in page


def test_the_course_page_counts_its_time_questions_validity_and_lesson_minutes(client):
    page = html.unescape(_page(client, "/courses/integrity-induction"))
    assert "Alrededor de 4 horas, a su ritmo" in page
    assert "Sí, válida por 24 meses" in page
    assert "20 preguntas; nota para aprobar: 70\xa0%" in page
    assert re.search(r"\(\d+ minutos\)", page) and " min)" not in page
    page = html.unescape(_page(client, "/courses/using-the-academy"))
    assert "Alrededor de 30 minutos, a su ritmo" in page and "4 preguntas; nota para aprobar: 60\xa0%" in page
    _switch_language(client, "en")
    page = html.unescape(_page(client, "/courses/integrity-induction"))
    assert "About 4 hours, at your own pace" in page and "Yes, valid for 24 months" in page
    assert "20 questions; pass mark 70%" in page and re.search(r"\(\d+ minutes\)", page)
