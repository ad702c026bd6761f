"""The five programmes the home page and the catalogue's filter present are the catalogue's own."""

import pytest
import yaml

from app.catalog.models import PROGRAMMES as CATALOGUE_PROGRAMMES
from app.public.programmes import PROGRAMMES
from tests import factories


def test_each_programme_of_the_catalogue_is_presented_once():
    assert sorted(programme["key"] for programme in PROGRAMMES) == sorted(CATALOGUE_PROGRAMMES)


@pytest.mark.parametrize("programme", PROGRAMMES, ids=lambda programme: programme["key"])
def test_a_programme_points_at_the_course_package_of_that_programme(programme):
    package = yaml.safe_load((factories.COURSES / programme["slug"] / "course.yaml").read_text())
    assert (package["slug"], package["programme"]) == (programme["slug"], programme["key"])
