"""Staff screens: dashboard, organisations, accounts and the audit log."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import services as account_services
from app.accounts.models import User
from app.admin import bp, queries
from app.admin.forms import AuditFilterForm, OrganisationFilterForm, UserSearchForm
from app.core import mail
from app.core.database import writes
from app.core.forms import ConfirmForm, choices
from app.core.guard import guard
from app.extensions import db
from app.organisations import messages, permissions, roles
from app.organisations import queries as organisation_queries
from app.organisations import services as organisation_services
from app.organisations.forms import EditOrganisationForm, GrantRoleForm, OrganisationForm


@bp.get("/")
@login_required
def dashboard():
    guard(permissions.can_open_admin(current_user))
    managed = [m.organisation for m in current_user.memberships if m.is_active and m.role == roles.INTEGRITY_OFFICER]
    return render_template("admin/dashboard.html", managed=managed, outbox_kept=not mail.sends_by_smtp())


@bp.get("/organisations")
@login_required
def list_organisations():
    guard(permissions.can_manage_organisations(current_user))
    form = OrganisationFilterForm(request.args)
    form.kind.choices = choices([("", _("Any"))] + [(k, roles.KIND_LABELS[k]) for k in roles.KINDS])
    if not form.validate():
        abort(400)
    organisations = organisation_queries.list_organisations(kind=form.kind.data or None, search=form.q.data)
    return render_template("admin/organisations_list.html", form=form, organisations=organisations)


@bp.route("/organisations/new", methods=["GET", "POST"])
@login_required
@writes
def create_organisation():
    guard(permissions.can_manage_organisations(current_user))
    form = OrganisationForm()
    form.parent_id.choices = choices(_parent_choices())
    if form.validate_on_submit():
        parent = organisation_queries.get_organisation(form.parent_id.data) if form.parent_id.data else None
        try:
            organisation = organisation_services.create_organisation(
                actor=current_user.record,
                code=form.code.data,
                kind=form.kind.data,
                name=form.name.data,
                parent=parent,
                short_name=form.short_name.data,
                ruc=form.ruc.data or None,
            )
        except organisation_services.OrganisationError as exc:
            db.session.rollback()
            form.code.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("%(name)s has been created.", name=organisation.name), "success")
            return redirect(url_for("admin.list_members", organisation_id=organisation.id))
    return render_template("admin/organisation_form.html", form=form), (400 if form.errors else 200)


@bp.route("/organisations/<id:organisation_id>/edit", methods=["GET", "POST"])
@login_required
@writes
def edit_organisation(organisation_id):
    guard(permissions.can_manage_organisations(current_user))
    organisation = organisation_queries.get_organisation(organisation_id) or abort(404)
    form = EditOrganisationForm(obj=organisation)
    if form.validate_on_submit():
        organisation_services.update_organisation(
            actor=current_user.record,
            organisation=organisation,
            name=form.name.data,
            short_name=form.short_name.data,
            is_active=form.is_active.data,
        )
        db.session.commit()
        flash(_("The changes have been saved."), "success")
        return redirect(url_for("admin.list_organisations"))
    return render_template("admin/organisation_edit.html", form=form, organisation=organisation), (
        400 if form.errors else 200
    )


@bp.get("/users")
@login_required
def list_users():
    guard(permissions.can_manage_accounts(current_user))
    form = UserSearchForm(request.args)
    if not form.validate():
        abort(400)
    pagination = queries.search_users(form.q.data, form.page.data or 1)
    return render_template("admin/users_list.html", form=form, pagination=pagination)


@bp.get("/users/<id:user_id>")
@login_required
def show_user(user_id):
    guard(permissions.can_manage_accounts(current_user))
    user = db.session.get(User, user_id) or abort(404)
    return _render_user(user, GrantRoleForm())


@bp.post("/users/<id:user_id>/roles")
@login_required
@writes
def grant_user_role(user_id):
    guard(permissions.can_manage_accounts(current_user))
    user = db.session.get(User, user_id) or abort(404)
    form = GrantRoleForm()
    form.organisation_id.choices = choices(_organisation_choices())
    if not form.validate_on_submit():
        return _render_user(user, form), 400
    organisation = organisation_queries.get_organisation(form.organisation_id.data)
    if organisation is None:
        form.organisation_id.errors.append(_("Choose an organisation from the list."))
        return _render_user(user, form), 400
    try:
        organisation_services.grant_role(
            actor=current_user.record, user=user, organisation=organisation, role=form.role.data
        )
    except organisation_services.OrganisationError as exc:
        db.session.rollback()
        form.role.errors.append(str(exc))
        return _render_user(user, form), 400
    db.session.commit()
    flash(messages.role_granted(user, form.role.data, organisation), "success")
    return redirect(url_for("admin.show_user", user_id=user.id))


@bp.post("/users/<id:user_id>/disable")
@login_required
@writes
def disable_user(user_id):
    return _set_active(user_id, active=False)


@bp.post("/users/<id:user_id>/enable")
@login_required
@writes
def enable_user(user_id):
    return _set_active(user_id, active=True)


@bp.get("/audit")
@login_required
def audit_log():
    guard(permissions.can_view_audit_log(current_user))
    form = AuditFilterForm(request.args)
    form.action.choices = choices([("", _("Any"))] + [(a, a) for a in queries.list_audit_actions()])
    form.organisation_id.choices = choices([(0, _("Any")), *_organisation_choices()])
    if not form.validate():
        return render_template("admin/audit_log.html", form=form, pagination=None), 400
    pagination = queries.audit_events(
        action=form.action.data or None,
        actor=form.actor.data,
        organisation_id=form.organisation_id.data or None,
        outcome=form.outcome.data or None,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        page=form.page.data or 1,
    )
    return render_template("admin/audit_log.html", form=form, pagination=pagination)


def _set_active(user_id, *, active):
    guard(permissions.can_manage_accounts(current_user))
    user = db.session.get(User, user_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            account_services.set_account_active(actor=current_user.record, user=user, active=active)
        except account_services.AccountError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(
                _("The account has been enabled.")
                if active
                else _("The account has been disabled and its sessions ended."),
                "success",
            )
    return redirect(url_for("admin.show_user", user_id=user.id))


def _render_user(user, form):
    form.organisation_id.choices = choices(_organisation_choices())
    return render_template("admin/user_detail.html", user=user, form=form, confirm_form=ConfirmForm())


def _organisation_choices():
    return [(o.id, f"{o.code} · {o.name}") for o in organisation_queries.list_organisations()]


def _parent_choices():
    return [(0, "—")] + [
        (o.id, f"{o.code} · {o.name}")
        for o in organisation_queries.list_organisations()
        if o.kind in (roles.NATIONAL, roles.REGIONAL_GOVERNMENT)
    ]
