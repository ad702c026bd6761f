"""Member management of one organisation, for SIP admins and that organisation's integrity officers."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import invitations as account_invitations
from app.accounts import services as account_services
from app.admin import bp
from app.admin import queries as admin_queries
from app.admin.forms import AddMemberForm, ChangeRoleForm
from app.core.database import writes
from app.core.forms import ConfirmForm, choices
from app.core.guard import guard
from app.extensions import db
from app.organisations import invitations, permissions, queries, roles, services
from app.organisations.forms import role_choices


@bp.get("/organisations/<id:organisation_id>/members")
@login_required
def list_members(organisation_id):
    organisation = _organisation_or_404(organisation_id)
    guard(permissions.can_view_members(current_user, organisation), target=organisation)
    return _render_members(organisation, AddMemberForm())


@bp.post("/organisations/<id:organisation_id>/members")
@login_required
@writes
def add_member(organisation_id):
    organisation = _organisation_or_404(organisation_id)
    guard(permissions.can_manage_members(current_user, organisation), target=organisation)
    form = AddMemberForm()
    form.role.choices = choices(_assignable_roles(organisation))
    if not form.validate_on_submit():
        return _render_members(organisation, form), 400
    guard(permissions.can_assign_role(current_user, organisation, form.role.data), target=organisation)
    try:
        account_invitations.invite_by_email(
            actor=current_user.record,
            organisation=organisation,
            role=form.role.data,
            email=form.email.data,
            display_name=form.display_name.data,
        )
    except (services.OrganisationError, account_services.AccountError) as exc:
        db.session.rollback()
        form.email.errors.append(str(exc))
        return _render_members(organisation, form), 400
    db.session.commit()
    # The same words whether or not the address had an account: the officer must not learn which.
    flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
    return redirect(url_for("admin.list_members", organisation_id=organisation.id))


@bp.post("/organisations/<id:organisation_id>/members/<id:membership_id>/role")
@login_required
@writes
def change_member_role(organisation_id, membership_id):
    organisation, membership = _membership_or_404(organisation_id, membership_id)
    guard(permissions.can_change_membership(current_user, membership), target=membership.user)
    form = ChangeRoleForm()
    form.role.choices = choices(_assignable_roles(organisation))
    if not form.validate_on_submit():
        flash(_("Choose one of the roles offered."), "error")
        return redirect(url_for("admin.list_members", organisation_id=organisation.id))
    guard(permissions.can_assign_role(current_user, organisation, form.role.data), target=membership.user)
    try:
        services.change_role(actor=current_user.record, membership=membership, role=form.role.data)
    except services.OrganisationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.list_members", organisation_id=organisation.id))
    db.session.commit()
    flash(_("The role has been changed."), "success")
    return redirect(url_for("admin.list_members", organisation_id=organisation.id))


@bp.post("/organisations/<id:organisation_id>/members/<id:membership_id>/end")
@login_required
@writes
def end_member_role(organisation_id, membership_id):
    organisation, membership = _membership_or_404(organisation_id, membership_id)
    guard(permissions.can_change_membership(current_user, membership), target=membership.user)
    if ConfirmForm().validate_on_submit():
        try:
            services.end_membership(actor=current_user.record, membership=membership)
        except services.OrganisationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("%(name)s no longer has this role.", name=membership.user.display_name), "success")
    return redirect(url_for("admin.list_members", organisation_id=organisation.id))


@bp.post("/organisations/<id:organisation_id>/members/<id:membership_id>/approve")
@login_required
@writes
def approve_member(organisation_id, membership_id):
    organisation, membership = _membership_or_404(organisation_id, membership_id)
    guard(permissions.can_manage_members(current_user, organisation), target=membership.user)
    if ConfirmForm().validate_on_submit() and membership.status == "pending":
        services.approve_membership(actor=current_user.record, membership=membership)
        db.session.commit()
        flash(_("%(name)s has been approved.", name=membership.user.display_name), "success")
    return redirect(url_for("admin.list_members", organisation_id=organisation.id))


@bp.post("/organisations/<id:organisation_id>/members/<id:membership_id>/withdraw")
@login_required
@writes
def withdraw_invitation(organisation_id, membership_id):
    organisation, membership = _membership_or_404(organisation_id, membership_id)
    guard(permissions.can_withdraw_invitation(current_user, membership), target=organisation)
    if ConfirmForm().validate_on_submit():
        invitations.withdraw(actor=current_user.record, membership=membership)
        db.session.commit()
        flash(_("The invitation to %(email)s has been withdrawn.", email=membership.invited_email), "success")
    return redirect(url_for("admin.list_members", organisation_id=organisation.id))


def _render_members(organisation, form):
    assignable = _assignable_roles(organisation)
    form.role.choices = choices(assignable)
    return render_template(
        "admin/members.html",
        organisation=organisation,
        form=form,
        members=admin_queries.list_members(organisation),
        invitations=queries.list_invitations(organisation),
        change_form=ChangeRoleForm(),
        confirm_form=ConfirmForm(),
        assignable=assignable,
        can_manage=permissions.can_manage_members(current_user, organisation),
    )


def _assignable_roles(organisation):
    allowed = {role for role in roles.ROLES if permissions.can_assign_role(current_user, organisation, role)}
    return role_choices(allowed)


def _organisation_or_404(organisation_id):
    organisation = queries.get_organisation(organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _membership_or_404(organisation_id, membership_id):
    organisation = _organisation_or_404(organisation_id)
    membership = queries.get_membership(organisation, membership_id)
    if membership is None:
        abort(404)
    return organisation, membership
