"""Generic scoped-API test cases (NetBox's APIViewTestCases trick, in pytest form).

A resource's test class declares its URL and how to make an own object, a foreign object and
a create payload; the cases below then check that visibility and write rights hold for it.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import Chain


@pytest.mark.django_db
class ScopedAPITests:
    """Subclass as ``Test<Resource>API`` and fill in the hooks."""

    __test__ = False  # abstract: only its subclasses are collected

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__test__ = True

    url: str = ""

    def own(self, chain: Chain) -> Any:
        """An object of brand A that every role of brand A may see."""
        raise NotImplementedError

    def foreign(self, chain: Chain) -> Any:
        """An object of brand B."""
        raise NotImplementedError

    def create_payload(self, chain: Chain, brand: Any) -> dict:
        """A valid payload that creates a new object in ``brand``."""
        raise NotImplementedError

    def update_payload(self) -> dict:
        return {"name": "Renamed"}

    def detail(self, obj: Any) -> str:
        return f"{self.url}{obj.pk}/"

    @pytest.fixture
    def objs(self, chain: Chain) -> SimpleNamespace:
        """The own and the foreign object, made once per test."""
        return SimpleNamespace(own=self.own(chain), foreign=self.foreign(chain))

    def listed_ids(self, response: Any) -> set[int]:
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    def test_own_object_listed_and_foreign_absent(self, api, chain, role_users, objs):
        ids = self.listed_ids(api(role_users["hq_analyst"]).get(self.url, {"page_size": 500}))
        assert objs.own.pk in ids
        assert objs.foreign.pk not in ids

    def test_foreign_detail_is_404(self, api, chain, role_users, objs):
        client = api(role_users["hq_admin"])
        assert client.get(self.detail(objs.own)).status_code == 200
        assert client.get(self.detail(objs.foreign)).status_code == 404
        assert (
            client.patch(self.detail(objs.foreign), self.update_payload(), format="json").status_code == 404
        )
        assert client.delete(self.detail(objs.foreign)).status_code == 404

    def test_admin_creates_in_own_brand_not_in_foreign(self, api, chain, role_users):
        client = api(role_users["hq_admin"])
        created = client.post(self.url, self.create_payload(chain, chain.brand), format="json")
        assert created.status_code == 201, created.content
        refused = client.post(self.url, self.create_payload(chain, chain.other_brand), format="json")
        assert refused.status_code == 400, refused.content

    def test_admin_updates_own(self, api, chain, role_users, objs):
        response = api(role_users["hq_admin"]).patch(
            self.detail(objs.own), self.update_payload(), format="json"
        )
        assert response.status_code == 200, response.content

    @pytest.mark.parametrize("role", ["hq_analyst", "auditor", "franchisee"])
    def test_other_roles_cannot_write(self, api, chain, role_users, role, objs):
        client = api(role_users[role])
        assert (
            client.post(self.url, self.create_payload(chain, chain.brand), format="json").status_code == 403
        )
        own = objs.own
        assert client.patch(self.detail(own), self.update_payload(), format="json").status_code in (403, 404)
        assert client.delete(self.detail(own)).status_code in (403, 404)

    def test_anonymous_rejected(self, api, chain, objs):
        assert api().get(self.url).status_code == 401
        assert api().get(self.detail(objs.own)).status_code == 401

    def test_outsider_sees_nothing(self, api, chain, role_users, objs):
        client = api(role_users["outsider"])
        assert self.listed_ids(client.get(self.url)) == set()
        assert client.get(self.detail(objs.own)).status_code == 404
