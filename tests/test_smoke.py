import pytest


@pytest.mark.django_db
def test_schema_is_served(api, role_users):
    response = api(role_users["hq_admin"]).get("/api/schema/")
    assert response.status_code == 200
