"""Single and multiple-choice options are shown in an order of each attempt's own, under opaque tokens.

Authors tend to write the right option first (the shipped packages name their options a, b, c… in
authored order), so options in authored order let "always pick the first" pass, and option ids in
the page would tell the authored position even once shuffled.

The course here draws its whole bank in every attempt: sixteen questions of five options, of which
the last ("none of the above") is fixed and the other four are shuffled, 24 orders each. Two attempts
show the same order of every question by chance once in 24^16 (about 10^22), so the checks that two
orders differ never flake. Its knowledge check has eight such questions: once in 24^8 (10^11).
"""

import html
import re

import pytest

from app.catalog import content
from app.catalog import services as catalog_services
from app.extensions import db
from app.learning.models import ActivityCompletion, AssessmentAttempt, Enrolment
from tests import factories
from tests.catalog import edit, write_package, write_whole_bank_and_check
from tests.csrf import csrf_token

SLUG = "option-course"
MODULES = ("01-first-steps", "02-next-steps")
WORDS = ("Alfa", "Bravo", "Charlie", "Delta")  # the movable options, in authored order; Alfa is always right
NONE_OF_THE_ABOVE = "Ninguna de las anteriores"


def _question(question_id, kind, module=None):
    """Options a–d in authored order with the key first (b too, when multiple), then a fixed "none of the above"."""
    lines = [f"  - id: {question_id}", *([f"    module: {module}"] if module else [])]
    lines += [f"    type: {kind}", f"    prompt: {{es: Elija en {question_id}., en: Choose in {question_id}.}}"]
    lines += ["    options:"]
    for n, word in enumerate(WORDS):
        right = n == 0 or (kind == "multiple" and n == 1)
        text = f"{word} {question_id}"
        lines += [f"      - {{id: {'abcd'[n]}, text: {{es: {text}, en: {text}}}, correct: {str(right).lower()}}}"]
    text = f"{NONE_OF_THE_ABOVE} {question_id}"
    lines += [f"      - {{id: e, text: {{es: {text}, en: {text}}}, correct: false, fixed: true}}"]
    return "\n".join(lines)


@pytest.fixture
def course(tmp_path):
    """A public course, right answers shown after every attempt, no wait between attempts, a bank all drawn."""
    folder = write_package(tmp_path / "courses", SLUG)
    edit(folder, "course.yaml", "public: false", "public: true")
    edit(folder, "course.yaml", "wait_hours_between_attempts: 24", "wait_hours_between_attempts: 0\n  review: always")
    kinds = ("single", "multiple")
    bank = [_question(f"q{n:02d}", kinds[n % 2], MODULES[n % 2]) for n in range(16)]
    check = [_question(f"k{n}", kinds[n % 2]) for n in range(8)]
    write_whole_bank_and_check(folder, bank, check)
    catalog_services.sync_package(content.load_package(folder))
    db.session.commit()
    return factories.get_course(SLUG)


@pytest.fixture
def learner(client, login_as):
    user = factories.make_user()
    login_as(client, user)
    return user


def test_two_attempts_show_the_options_in_orders_of_their_own(client, course, learner):
    enrolment_id = _enrol_and_read_everything(client)
    first = _choices(_page(client, _start_attempt(client, enrolment_id, 1)))
    _submit_nothing(client, enrolment_id, 1)
    second = _choices(_page(client, _start_attempt(client, enrolment_id, 2)))
    assert first.keys() == second.keys() and len(first) == 16
    assert all(sorted(first[qid]) == sorted(second[qid]) for qid in first)
    assert any(first[qid] != second[qid] for qid in first), "both attempts showed every question in the same order"


def test_a_reload_shows_the_same_order_and_the_fixed_option_stays_last(client, course, learner):
    enrolment_id = _enrol_and_read_everything(client)
    url = _start_attempt(client, enrolment_id, 1)
    shown = _choices(_page(client, url))
    assert _choices(_page(client, url)) == shown
    assert all(texts[-1] == f"{NONE_OF_THE_ABOVE} {qid}" for qid, texts in shown.items())


def test_answers_sent_in_the_order_shown_score_full_marks(client, course, learner):
    enrolment_id = _enrol_and_read_everything(client)
    url = _start_attempt(client, enrolment_id, 1)
    page = _page(client, url)
    form = {"csrf_token": csrf_token(client)}
    for qid, tokens in _tokens(page).items():
        right = {f"{WORDS[0]} {qid}"} | ({f"{WORDS[1]} {qid}"} if _is_multiple(qid) else set())
        form[f"q-{qid}"] = [token for token, text in tokens if text in right]
    response = client.post(url, data=form)
    assert response.status_code == 302
    attempt = _attempt(enrolment_id, 1)
    assert attempt.passed and attempt.score == 100
    assert all(attempt.results.values()) and attempt.answers["q00"] == "a" and attempt.answers["q01"] == ["a", "b"]


def test_nothing_in_the_page_before_submission_tells_the_key_or_the_authored_position(client, course, learner):
    enrolment_id = _enrol_and_read_everything(client)
    url = _start_attempt(client, enrolment_id, 1)
    raw = client.get(url).get_data(as_text=True)
    page = html.unescape(raw)
    tokens = _tokens(page)
    assert len(tokens) == 16
    for qid, shown in tokens.items():
        # Each value and element id is the place the option is shown at, nothing of the package's.
        assert [token for token, _ in shown] == [f"t{i}" for i in range(5)]
        fieldset = _fieldsets(page)[qid]
        assert re.findall(r'\bid="q-[\w-]+"', fieldset) == [f'id="q-{qid}-t{i}"' for i in range(5)]
        assert re.findall(r'for="([^"]+)"', fieldset) == [f"q-{qid}-t{i}" for i in range(5)]
    for word in ("correct", "fixed", "feedback"):
        assert word not in raw.lower().replace("csrf", ""), word
    assert _attempt(enrolment_id, 1).shuffle_key not in raw
    # The key is written first in every question; shuffled, it is not shown first in all of them (its
    # place is one of four in each of sixteen questions: all first by chance once in 4^16, about 4·10^9).
    assert any(shown[0][1] != f"{WORDS[0]} {qid}" for qid, shown in tokens.items())


def test_the_review_lists_the_options_in_the_order_the_attempt_showed_them(client, course, learner):
    enrolment_id = _enrol_and_read_everything(client)
    url = _start_attempt(client, enrolment_id, 1)
    shown = _choices(_page(client, url))
    chosen = {f"q-{qid}": _tokens(_page(client, url))[qid][0][0] for qid in shown}  # the first option shown
    response = client.post(url, data={"csrf_token": csrf_token(client), **chosen})
    result = _page(client, response.headers["Location"])
    reviewed = _reviewed(result)
    assert reviewed.keys() == shown.keys()
    for qid, options in reviewed.items():
        assert [text for text, _ in options] == shown[qid]
        assert options[0][1]["chosen"] and not any(marks["chosen"] for _, marks in options[1:])
        right = [text for text, marks in options if marks["correct"]]
        assert sorted(right) == sorted(f"{word} {qid}" for word in WORDS[: 2 if _is_multiple(qid) else 1])


def test_a_knowledge_check_shows_its_options_in_the_enrolments_order_and_reads_them_as_shown(
    app, client, course, learner
):
    seen = []
    for _ in range(2):
        # The database goes back to before the enrolment: the second gets the same id and another key.
        with app.extensions["tests.pristine"].snapshot():
            enrolment_id = _enrol(client)
            url = f"/learning/{enrolment_id}/activities/check-practice"
            page = _page(client, url)
            assert _choices(_page(client, url)) == _choices(page)
            form = {"csrf_token": csrf_token(client)}
            for qid, tokens in _tokens(page).items():
                right = {f"{WORDS[0]} {qid}"} | ({f"{WORDS[1]} {qid}"} if _is_multiple(qid) else set())
                form[f"q-{qid}"] = [token for token, text in tokens if text in right]
            assert client.post(url, data=form).status_code == 302
            completion = db.session.execute(
                db.select(ActivityCompletion).where(ActivityCompletion.enrolment_id == enrolment_id)
            ).scalar_one()
            assert completion.response["correct"] == {f"k{n}": True for n in range(8)}
            seen.append((url, _choices(page)))
    (first_url, first), (second_url, second) = seen
    assert first_url == second_url and len(first) == 8
    assert any(first[qid] != second[qid] for qid in first), "both enrolments saw every question in the same order"


# What the learner's browser has: the page.


def _fieldsets(page) -> dict[str, str]:
    return dict(re.findall(r'<fieldset class="question" id="q-([\w-]+)">(.*?)</fieldset>', page, re.S))


def _tokens(page) -> dict[str, list[tuple[str, str]]]:
    """Per question, (value sent, text shown) of each option in page order."""
    found = {}
    for qid, body in _fieldsets(page).items():
        values = re.findall(
            rf'<input type="(?:radio|checkbox)" id="q-{qid}-[^"]*" name="q-{qid}" value="([^"]*)"', body
        )
        texts = re.findall(r"<label [^>]*>([^<]*)</label>", body)
        found[qid] = list(zip(values, texts, strict=True))
    return found


def _choices(page) -> dict[str, list[str]]:
    return {qid: [text for _, text in shown] for qid, shown in _tokens(page).items()}


def _reviewed(page) -> dict[str, list[tuple[str, dict]]]:
    """Per question (found by its prompt), the review's options in page order and how each is marked."""
    reviewed = {}
    for qid, items in re.findall(r"Elija en ([\w-]+)\.</h3>.*?<ul class=\"review-options\">(.*?)</ul>", page, re.S):
        reviewed[qid] = [
            (text.strip(), {"chosen": "Su respuesta" in marks, "correct": "Respuesta correcta" in marks})
            for text, marks in re.findall(r"<li>([^<]*)(.*?)</li>", items, re.S)
        ]
    return reviewed


def _is_multiple(qid) -> bool:
    return int(qid.lstrip("qk")) % 2 == 1


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def _enrol(client) -> int:
    response = client.post(f"/courses/{SLUG}/enrol", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    return int(re.search(r"/learning/(\d+)", response.headers["Location"]).group(1))


def _enrol_and_read_everything(client) -> int:
    enrolment_id = _enrol(client)
    factories.complete_everything_but_the_assessment(db.session.get(Enrolment, enrolment_id))
    return enrolment_id


def _start_attempt(client, enrolment_id, number) -> str:
    response = client.post(f"/learning/{enrolment_id}/assessment/start", data={"csrf_token": csrf_token(client)})
    assert response.headers["Location"].endswith(f"/assessment/{number}"), response.headers["Location"]
    return response.headers["Location"]


def _submit_nothing(client, enrolment_id, number):
    url = f"/learning/{enrolment_id}/assessment/{number}"
    assert client.post(url, data={"csrf_token": csrf_token(client)}).status_code == 302


def _attempt(enrolment_id, number) -> AssessmentAttempt:
    return db.session.execute(
        db.select(AssessmentAttempt)
        .where(AssessmentAttempt.enrolment_id == enrolment_id, AssessmentAttempt.number == number)
        .execution_options(populate_existing=True)
    ).scalar_one()
