"""Row 27 (predictable randomness): a learner cannot work out the order of shuffled answers from the page.

Ordering items and matching answers are listed in the package in their right order and shown shuffled
under opaque tokens (t0, t1…). The shuffle used to be seeded with crc32("{enrolment}|{question}|{attempt}"),
all of which the page shows, so a learner could compute which token was which and pass without reading.

The course here has sixteen such questions in its bank, all drawn by every attempt: twelve ordering
questions of five items (120 orders each) and four matching ones of four answers (24 each), and a
knowledge check with six and two more. The checks below that two orders differ, or that a prediction
is wrong, would fail by chance only if a question of every one of them came out the same: odds below
1 in 10^30 for the attempts and 1 in 10^14 for the knowledge check. They never flake.
"""

import html
import inspect
import random
import re
import secrets
import zlib

import pytest

from app.catalog import content
from app.catalog import services as catalog_services
from app.extensions import db
from app.learning.models import ActivityCompletion, AssessmentAttempt, Enrolment
from app.learning.services.assessment import draw_questions
from tests import factories
from tests.catalog import edit, write_package, write_whole_bank_and_check
from tests.csrf import csrf_token

SLUG = "shuffle-course"
ITEMS = ("Alfa", "Bravo", "Charlie", "Delta", "Eco")  # an ordering question's items, in the right order
PAIRS = (("Norte", "Tumbes"), ("Centro", "Junín"), ("Sur", "Puno"), ("Oriente", "Loreto"))
MODULES = ("01-first-steps", "02-next-steps")


def _ordering(question_id, module=None):
    lines = [f"  - id: {question_id}", *([f"    module: {module}"] if module else [])]
    lines += ["    type: ordering", f"    prompt: {{es: Ordena la serie {question_id}., en: Order {question_id}.}}"]
    lines += ["    options:"]
    lines += [
        f"      - {{id: i{n}, text: {{es: {item} {question_id}, en: {item} {question_id}}}}}"
        for n, item in enumerate(ITEMS)
    ]
    return "\n".join(lines)


def _matching(question_id, module=None):
    lines = [f"  - id: {question_id}", *([f"    module: {module}"] if module else [])]
    lines += ["    type: matching", f"    prompt: {{es: Relaciona el grupo {question_id}., en: Match {question_id}.}}"]
    lines += ["    pairs:"]
    lines += [
        f"      - {{id: p{n}, left: {{es: {left} {question_id}, en: {left} {question_id}}}, "
        f"right: {{es: {right} {question_id}, en: {right} {question_id}}}}}"
        for n, (left, right) in enumerate(PAIRS)
    ]
    return "\n".join(lines)


@pytest.fixture
def course(tmp_path):
    """A public course whose every attempt draws the whole bank: sixteen shuffled questions."""
    folder = write_package(tmp_path / "courses", SLUG)
    edit(folder, "course.yaml", "public: false", "public: true")
    bank = [_ordering(f"order-{n:02d}", MODULES[n % 2]) for n in range(12)]
    bank += [_matching(f"match-{n:02d}", MODULES[n % 2]) for n in range(4)]
    check = [_ordering(f"k-order-{n}") for n in range(6)] + [_matching(f"k-match-{n}") for n in range(2)]
    write_whole_bank_and_check(folder, bank, check)
    catalog_services.sync_package(content.load_package(folder))
    db.session.commit()
    return factories.get_course(SLUG)


@pytest.fixture
def learner(client, login_as):
    user = factories.make_user()
    login_as(client, user)
    return user


def test_the_old_crc32_formula_no_longer_predicts_the_order_and_its_answers_fail(client, course, learner):
    enrolment_id = _enrol(client)
    _complete_the_lessons(enrolment_id)
    attempt_url = _start_attempt(client, enrolment_id)
    number = int(attempt_url.rsplit("/", 1)[1])
    page = _page(client, attempt_url)

    # What a learner could compute from the page alone, with the old seed: token ti stands for item perm[i].
    predicted = {}
    for question_id, shown in _shuffled_lists(page).items():
        permutation = list(range(len(shown)))
        random.Random(zlib.crc32(f"{enrolment_id}|{question_id}|{number}".encode())).shuffle(permutation)
        predicted[question_id] = permutation
    assert len(predicted) == 16
    wrong = [qid for qid, permutation in predicted.items() if permutation != _true_permutation(qid, page)]
    assert wrong, "every order shown is the one the page's ids predict"

    result = client.post(attempt_url, data={"csrf_token": csrf_token(client), **_answers(page, predicted)})
    attempt = _attempt(enrolment_id, number)
    assert result.status_code == 302 and attempt.status == "submitted"
    assert not attempt.passed, f"answers computed from the page's ids scored {attempt.score}%"
    assert attempt.shuffle_key not in page and attempt.shuffle_key not in _page(client, result.headers["Location"])


def test_two_attempts_with_the_same_ids_show_unrelated_orders(app, client, course, learner):
    enrolment_id = _enrol(client)
    _complete_the_lessons(enrolment_id)
    db.session.commit()
    seen = []
    for _ in range(2):
        # The database goes back to just before the attempt was opened: the second one gets the same
        # enrolment id, attempt number and attempt id, and draws the same sixteen questions.
        with app.extensions["tests.pristine"].snapshot():
            attempt_url = _start_attempt(client, enrolment_id)
            page = _page(client, attempt_url)
            attempt = _attempt(enrolment_id, 1)
            seen.append((attempt_url, attempt.id, _question_order(page), _shuffled_lists(page)))
    (first_url, first_id, first_questions, first_lists), (second_url, second_id, second_questions, second_lists) = seen
    assert (first_url, first_id, set(first_questions)) == (second_url, second_id, set(second_questions))
    assert first_lists.keys() == second_lists.keys() and len(first_lists) == 16
    assert any(first_lists[qid] != second_lists[qid] for qid in first_lists), "the same ids gave the same orders"
    # The draw is random too (secrets.SystemRandom): the same sixteen questions, in another order.
    assert first_questions != second_questions


def test_two_enrolments_with_the_same_id_show_the_knowledge_check_in_unrelated_orders(app, client, course, learner):
    seen = []
    for _ in range(2):
        with app.extensions["tests.pristine"].snapshot():
            enrolment_id = _enrol(client)
            url = f"/learning/{enrolment_id}/activities/check-practice"
            page = _page(client, url)
            seen.append((url, _shuffled_lists(page)))
    (first_url, first_lists), (second_url, second_lists) = seen
    assert first_url == second_url and len(first_lists) == 8
    assert any(first_lists[qid] != second_lists[qid] for qid in first_lists), "the same ids gave the same orders"


def test_a_reload_shows_the_same_order_and_answering_as_shown_scores_full_marks(client, course, learner):
    enrolment_id = _enrol(client)
    _complete_the_lessons(enrolment_id)
    attempt_url = _start_attempt(client, enrolment_id)
    page = _page(client, attempt_url)
    assert _shuffled_lists(_page(client, attempt_url)) == _shuffled_lists(page)

    right = {qid: _true_permutation(qid, page) for qid in _shuffled_lists(page)}
    response = client.post(attempt_url, data={"csrf_token": csrf_token(client), **_answers(page, right)})
    result = _page(client, response.headers["Location"])
    attempt = _attempt(enrolment_id, 1)
    assert attempt.passed and attempt.score == 100
    assert "Aprobó con 100" in result


def test_a_knowledge_check_reloads_in_the_same_order_and_reads_answers_as_shown(client, course, learner):
    enrolment_id = _enrol(client)
    url = f"/learning/{enrolment_id}/activities/check-practice"
    page = _page(client, url)
    assert _shuffled_lists(_page(client, url)) == _shuffled_lists(page)

    right = {qid: _true_permutation(qid, page) for qid in _shuffled_lists(page)}
    response = client.post(url, data={"csrf_token": csrf_token(client), **_answers(page, right)})
    assert response.status_code == 302
    completion = db.session.execute(
        db.select(ActivityCompletion).where(
            ActivityCompletion.enrolment_id == enrolment_id, ActivityCompletion.activity_id == "check-practice"
        )
    ).scalar_one()
    assert completion.response["correct"] == dict.fromkeys(right, True)


def test_questions_are_drawn_with_the_operating_systems_random_source():
    # SystemRandom reads os.urandom and cannot be seeded, so no id or time predicts a draw.
    assert isinstance(inspect.signature(draw_questions).parameters["rng"].default, secrets.SystemRandom)


# What a learner's browser has: the page. Each shuffled list, by question id, as the texts in page order.


def _shuffled_lists(page) -> dict[str, list[str]]:
    lists = {}
    for question_id, body in re.findall(r'<fieldset class="question" id="q-([\w-]+)">(.*?)</fieldset>', page, re.S):
        items = re.findall(rf'<label for="q-{question_id}-t\d+">([^<]*)</label>', body)
        if items:  # ordering: the items, labelled by token in token order
            lists[question_id] = items
            continue
        first_select = re.search(r"<select .*?</select>", body, re.S)
        if first_select:  # matching: the answers, offered in token order in every select
            lists[question_id] = re.findall(r'<option value="t\d+"[^>]*>([^<]*)</option>', first_select.group(0))
    return lists


def _question_order(page) -> list[str]:
    return re.findall(r'<fieldset class="question" id="q-([\w-]+)">', page)


def _true_permutation(question_id, page) -> list[int]:
    """For each token in page order, the index in the package (the right order) of what it shows: known
    to the test, which wrote the package, and to the server; the learner's page must not reveal it."""
    shown = _shuffled_lists(page)[question_id]
    right = (
        [f"{item} {question_id}" for item in ITEMS]
        if "order" in question_id
        else [f"{answer} {question_id}" for _, answer in PAIRS]
    )
    return [right.index(text) for text in shown]


def _answers(page, permutations) -> dict[str, str]:
    """The form that puts token ti at place permutations[qid][i] (ordering), or matches it to the left of
    that index (matching)."""
    form = {}
    for question_id, permutation in permutations.items():
        if "order" in question_id:
            form |= {f"q-{question_id}-t{i}": str(index + 1) for i, index in enumerate(permutation)}
        else:
            form |= {f"q-{question_id}-p{index}": f"t{i}" for i, index in enumerate(permutation)}
    return form


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def _enrol(client) -> int:
    response = client.post(f"/courses/{SLUG}/enrol", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    return int(re.search(r"/learning/(\d+)", response.headers["Location"]).group(1))


def _complete_the_lessons(enrolment_id):
    factories.complete_everything_but_the_assessment(db.session.get(Enrolment, enrolment_id))


def _start_attempt(client, enrolment_id) -> str:
    response = client.post(f"/learning/{enrolment_id}/assessment/start", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302 and "/assessment/" in response.headers["Location"]
    return response.headers["Location"]


def _attempt(enrolment_id, number) -> AssessmentAttempt:
    return db.session.execute(
        db.select(AssessmentAttempt)
        .where(AssessmentAttempt.enrolment_id == enrolment_id, AssessmentAttempt.number == number)
        .execution_options(populate_existing=True)
    ).scalar_one()
