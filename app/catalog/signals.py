"""Announcements from the catalog that outer domains (learning) subscribe to."""

from blinker import Namespace

_signals = Namespace()

# Sent with course, previous (CourseVersion or None) and version when sync publishes a new version.
version_published = _signals.signal("course-version-published")
