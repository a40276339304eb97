import pytest

from enforcement.tests.factories import make_team


@pytest.fixture
def team(regions):
    """A 芙蓉区 team: two credentialed handlers, a leader, a legal reviewer, an inspector, an enterprise."""
    return make_team(regions)


@pytest.fixture
def neighbour(regions):
    """The same roles in the neighbouring county 天心区."""
    return make_team(regions, code="430103", prefix="tx")
