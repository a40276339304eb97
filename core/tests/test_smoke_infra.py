import pytest


@pytest.mark.django_db
def test_login_page_is_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_trigram_extension_matches_chinese(regions):
    from core.models import Enterprise
    from core.tests.factories import EnterpriseFactory

    EnterpriseFactory(name="长沙电器制造有限公司")
    assert Enterprise.objects.filter(name__trigram_similar="长沙电器制造").exists()
