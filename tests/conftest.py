import pytest
from sitekit import SiteRepo


@pytest.fixture
def site_repo(tmp_path):
    return SiteRepo.create(tmp_path / "site")
