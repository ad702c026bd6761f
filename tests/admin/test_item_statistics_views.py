"""The question statistics pages and their CSV export, over HTTP as a SIP administrator."""

import csv
import io

import pytest
from sqlalchemy import select

from app.catalog.models import BankQuestion
from app.catalog.queries import list_bank
from app.extensions import db
from app.learning.models import AssessmentAttempt
from tests import factories


@pytest.fixture
def admin_client(client, world, login_as):
    login_as(client, world.users["sip_admin"])
    return client


@pytest.fixture
def answered(world):
    """25 submitted attempts at the sample course's final, each drawing the whole bank: the first question
    answered right by everyone, the second by no one, the third by the better half; one attempt still open."""
    enrolment = factories.make_enrolment(world.users["citizen"])
    bank = [question.question_id for question in list_bank(enrolment.version_id)]
    first, second, third = bank[:3]
    for number in range(1, 26):
        strong = number > 12
        results = {qid: strong for qid in bank} | {first: True, second: False, third: strong}
        db.session.add(
            AssessmentAttempt(
                enrolment_id=enrolment.id,
                version_id=enrolment.version_id,
                number=number,
                status="submitted",
                question_ids=bank,
                answers={},
                results=results,
                score=round(100 * sum(results.values()) / len(results), 1),
                passed=strong,
            )
        )
    db.session.add(
        AssessmentAttempt(
            enrolment_id=enrolment.id, version_id=enrolment.version_id, number=26, question_ids=bank, status="open"
        )
    )
    db.session.commit()
    return enrolment.version, bank


def test_the_versions_list_shows_each_version_with_its_submitted_attempts(admin_client, answered):
    version, _bank = answered
    page = admin_client.get("/admin/item-statistics")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"/admin/item-statistics/{version.id}" in html
    assert "<td>25</td>" in html  # the open attempt is not counted


def test_the_dashboard_links_to_the_question_statistics(admin_client):
    assert "/admin/item-statistics" in admin_client.get("/admin/").get_data(as_text=True)


def test_the_version_page_lists_every_bank_question_with_its_figures_and_flags(admin_client, answered):
    version, bank = answered
    page = admin_client.get(f"/admin/item-statistics/{version.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for qid in bank:
        assert f"<code>{qid}</code>" in html
    assert "Todos la responden bien" in html
    assert "Nadie la responde bien" in html
    assert "<td>52,0</td>\n    <td>1,00</td>" in html  # the third question separates the two halves perfectly


def test_the_csv_has_the_same_rows_and_flags(admin_client, answered):
    version, bank = answered
    response = admin_client.get(f"/admin/item-statistics/{version.id}/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Pregunta"
    by_id = {row[0]: row for row in rows[1:]}
    assert list(by_id) == bank
    first, second, third = (by_id[qid] for qid in bank[:3])
    assert (first[3], first[4], first[5], first[6]) == ("25", "100.0", "", "Todos la responden bien")
    assert (second[4], second[6]) == ("0.0", "Nadie la responde bien")
    assert (third[4], third[5], third[6]) == ("52.0", "1.0", "")


def test_a_prompt_written_as_a_formula_is_defused_in_the_csv(admin_client, answered):
    version, bank = answered
    question = db.session.scalars(
        select(BankQuestion).where(BankQuestion.version_id == version.id, BankQuestion.question_id == bank[0])
    ).one()
    question.data = {**question.data, "prompt": {"es": '=HYPERLINK("http://evil.example","clic")', "en": "-1+1"}}
    db.session.commit()
    response = admin_client.get(f"/admin/item-statistics/{version.id}/export.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example","clic")'


def test_a_version_without_attempts_shows_every_question_as_too_few_to_judge(admin_client):
    version = factories.get_course().current_version
    html = admin_client.get(f"/admin/item-statistics/{version.id}").get_data(as_text=True)
    assert "Muy pocos intentos para juzgarla" in html


def test_an_unknown_version_is_not_found(admin_client):
    assert admin_client.get("/admin/item-statistics/999999").status_code == 404
    assert admin_client.get("/admin/item-statistics/999999/export.csv").status_code == 404


@pytest.mark.parametrize("role", ["integrity_officer", "governor", "advisor", "learner", "citizen"])
def test_other_roles_are_refused(client, world, login_as, role):
    login_as(client, world.users[role])
    version = factories.get_course().current_version
    assert client.get(f"/admin/item-statistics/{version.id}/export.csv").status_code == 403
