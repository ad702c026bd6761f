"""The invited person's side: the invitations waiting for them, accepted or declined one at a time."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import bp
from app.core.database import writes
from app.core.forms import ConfirmForm
from app.extensions import db
from app.organisations import invitations, permissions, queries, roles
from app.organisations.services import OrganisationError


@bp.get("/account/invitations")
@login_required
def list_invitations():
    return render_template(
        "accounts/invitations.html",
        invitations=queries.list_open_invitations(current_user.id),
        confirm_form=ConfirmForm(),
    )


@bp.post("/account/invitations/<id:membership_id>/accept")
@login_required
@writes
def accept_invitation(membership_id):
    membership = _invitation_or_404(membership_id)
    if ConfirmForm().validate_on_submit():
        try:
            invitations.accept(user=current_user.record, membership=membership)
        except OrganisationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(
                _(
                    "You are now %(role)s in %(organisation)s.",
                    role=roles.ROLE_LABELS[membership.role],
                    organisation=membership.organisation.name,
                ),
                "success",
            )
    return redirect(url_for("accounts.list_invitations"))


@bp.post("/account/invitations/<id:membership_id>/decline")
@login_required
@writes
def decline_invitation(membership_id):
    membership = _invitation_or_404(membership_id)
    if ConfirmForm().validate_on_submit():
        invitations.decline(user=current_user.record, membership=membership)
        db.session.commit()
        flash(
            _("You have declined the invitation to %(organisation)s.", organisation=membership.organisation.name),
            "success",
        )
    return redirect(url_for("accounts.list_invitations"))


def _invitation_or_404(membership_id):
    membership = queries.get_any_membership(membership_id)
    if membership is None or not permissions.can_answer_invitation(current_user, membership):
        abort(404)
    return membership
