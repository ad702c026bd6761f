"""The outbox, while no SMTP server is configured: every message the application would have sent."""

from flask import abort, current_app, render_template, request
from flask_login import current_user, login_required

from app.admin import bp, queries
from app.admin.forms import PageForm
from app.core import mail
from app.core.database import write_transaction
from app.core.guard import guard
from app.extensions import db
from app.organisations.permissions import can_read_outbox


@bp.get("/outbox")
@login_required
def list_outbox_messages():
    guard(can_read_outbox(current_user))
    _only_without_smtp()
    form = PageForm(request.args)
    if not form.validate():
        abort(400)
    pagination = queries.list_outbox_messages(form.page.data or 1)
    return render_template(
        "admin/outbox_list.html", pagination=pagination, folder=current_app.config["MAIL_OUTBOX_DIR"]
    )


@bp.get("/outbox/<id:message_id>")
@login_required
def show_outbox_message(message_id):
    guard(can_read_outbox(current_user))
    _only_without_smtp()
    # Opening a message is recorded: its links act for the recipient.
    with write_transaction():
        message = db.session.get(mail.OutboxMessage, message_id) or abort(404)
        mail.record_reading(message, reader=current_user.record)
        db.session.commit()
    return render_template("admin/outbox_message.html", message=message)


def _only_without_smtp():
    """Once mail leaves through a server, the outbox is no one's to read here: the pages do not exist."""
    if mail.sends_by_smtp():
        abort(404)
