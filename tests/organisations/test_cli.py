from app.extensions import db
from app.organisations.models import Organisation


def test_load_reference_is_idempotent(runner):
    first = runner.invoke(args=["organisations", "load-reference"])
    second = runner.invoke(args=["organisations", "load-reference"])
    assert first.exit_code == second.exit_code == 0
    assert "(0 new)" in second.output
    assert (
        db.session.execute(db.select(db.func.count(Organisation.id)).where(Organisation.code.like("GORE-%"))).scalar()
        == 25
    )
