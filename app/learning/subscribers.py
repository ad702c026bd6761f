"""Learning's answers to what the catalog announces."""

from app.catalog.signals import version_published


@version_published.connect
def _move_learners_after_text_only_change(course, previous=None, version=None, **extra):
    """A wording-only change moves unfinished learners to the new text; any other change waits for
    them to finish the version they started (see courses/README.md, "Versions")."""
    from app.learning.services import move_to_version

    if previous is not None and version is not None and version.text_only:
        move_to_version(course, version)
