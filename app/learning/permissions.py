"""Who may enrol in which course, and who may see an enrolment. The one place for these decisions."""

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db


def enrolment_refusal(user, course) -> str | None:
    """Why *user* may not enrol in *course*, or None when they may.

    A public course is open to every account. Otherwise the person needs an active role listed in
    the course's audience, in an organisation of a listed kind. Prerequisites must be completed.
    """
    version = course.current_version
    if not course.is_published or version is None:
        return _("This course is not open for enrolment.")
    audience = version.meta["audience"]
    if not audience.get("public") and not _in_audience(user, audience):
        return _(
            "This course is for public officials whose entity has enrolled them. "
            "If that is you, ask your entity's integrity officer."
        )
    missing = _missing_prerequisites(user, version.meta.get("prerequisites") or [])
    if missing:
        return _("First complete: %(courses)s.", courses=", ".join(missing))
    return None


def can_view_enrolment(user, enrolment) -> bool:
    """Progress, answers and attempts are the learner's own."""
    return bool(user and user.is_authenticated and enrolment.user_id == user.id)


def _in_audience(user, audience) -> bool:
    roles, kinds = set(audience.get("roles") or []), set(audience.get("organisation_kinds") or [])
    return any(
        membership.is_active
        and (not roles or membership.role in roles)
        and (not kinds or membership.organisation_kind in kinds)
        for membership in user.memberships
    )


def _missing_prerequisites(user, slugs) -> list[str]:
    if not slugs:
        return []
    from app.catalog.models import Course
    from app.learning.models import Enrolment

    completed = set(
        db.session.execute(
            select(Course.slug)
            .join(Enrolment, Enrolment.course_id == Course.id)
            .where(Enrolment.user_id == user.id, Enrolment.status == "completed", Course.slug.in_(slugs))
        ).scalars()
    )
    from app.catalog.queries import titles_by_slug
    from app.core.i18n import current_language

    titles = titles_by_slug(slugs, current_language())
    return [titles.get(slug, slug) for slug in slugs if slug not in completed]


def can_view_item_statistics(user) -> bool:
    """How the final-assessment questions perform is for the SIP, who writes and reviews the banks."""
    from app.organisations.permissions import is_sip_admin

    return is_sip_admin(user)
