"""Staff screens for the final-assessment banks: how each question performs, per course version."""

from flask import abort, render_template
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.admin import bp
from app.core.csv_export import csv_response
from app.core.guard import guard
from app.core.i18n import current_language
from app.learning import item_report, item_statistics
from app.learning.permissions import can_view_item_statistics


@bp.get("/item-statistics")
@login_required
def list_item_statistics():
    guard(can_view_item_statistics(current_user))
    return render_template("admin/item_statistics_list.html", versions=item_report.list_versions())


@bp.get("/item-statistics/<id:version_id>")
@login_required
def show_item_statistics(version_id):
    guard(can_view_item_statistics(current_user))
    version = item_report.get_version(version_id) or abort(404)
    return render_template(
        "admin/item_statistics.html",
        version=version,
        rows=item_report.item_rows(version, current_language()),
        flag_labels=_flag_labels(),
        min_drawn=item_statistics.MIN_DRAWN,
        format_decimal=format_decimal,
    )


@bp.get("/item-statistics/<id:version_id>/export.csv")
@login_required
def export_item_statistics(version_id):
    guard(can_view_item_statistics(current_user))
    version = item_report.get_version(version_id) or abort(404)
    labels = _flag_labels()
    header = [_("Question"), _("Module"), _("Prompt"), _("Drawn"), _("Correct (%)"), _("Discrimination"), _("Flag")]
    rows = [
        [
            row.question_id,
            row.module,
            row.prompt,
            row.statistics.drawn,
            _percent(row.statistics.share_correct),
            _rounded(row.statistics.discrimination),
            labels.get(row.statistics.flag, ""),
        ]
        for row in item_report.item_rows(version, current_language())
    ]
    return csv_response([header, *rows], f"item-statistics-{version.course.slug}-v{version.number}.csv")


def _flag_labels() -> dict:
    return {
        item_statistics.TOO_FEW: _("Too few attempts to judge"),
        item_statistics.EVERYONE_RIGHT: _("Everyone gets it right"),
        item_statistics.NO_ONE_RIGHT: _("No one gets it right"),
    }


def _percent(share):
    return None if share is None else round(100 * share, 1)


def _rounded(value):
    return None if value is None else round(value, 2)
