"""The baseline: the smallest Flask app, one route returning a short string."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "ok"
