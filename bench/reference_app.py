"""The issue's yardstick for the lesson page: a bare Flask page with one primary-key lookup and a 10 KB
template (the issue reports about 37% of the minimal route on the machine its targets were set on).

Measured in the same run, it shows how far this machine's ratios sit from that one, so the lesson and
verification figures can be read against what a page with no sessions, authorisation or progress reaches.
"""

import os

from flask import Flask, abort, render_template
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import Mapped, mapped_column

app = Flask(__name__)
# Nothing of the academy's own set-up: the same database through psycopg 3, as the academy reaches it.
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
db = SQLAlchemy(app)


class Account(db.Model):
    """Three columns of the benchmark database's accounts table: enough for a lookup and a greeting."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str]
    email: Mapped[str]


@app.get("/accounts/<int:account_id>")
def show_account(account_id):
    account = db.session.get(Account, account_id) or abort(404)
    return render_template("reference.html", user=account)
