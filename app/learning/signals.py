"""What learning announces; certificates and compliance subscribe, learning knows neither."""

from blinker import Namespace

_signals = Namespace()

# Sent with the Enrolment as sender, inside the transaction that completes it.
course_completed = _signals.signal("course-completed")
