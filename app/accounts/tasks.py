"""Account work done by the task worker (app.tasks) rather than in the request that asked for it."""

from app.accounts import services
from app.extensions import db
from app.tasks import task


@task(retries=2, retry_delay=30)
def send_password_reset(email: str, ip: str | None = None) -> None:
    """Look the address up and mail a reset link if it has an account.

    Done here, not in the request: the request then only queues this, whatever the address, so neither
    its answer nor how long it takes tells whether the address has an account.
    """
    services.request_password_reset(email, ip=ip)
    db.session.commit()
