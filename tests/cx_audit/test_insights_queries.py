"""Every insight page and endpoint runs the same number of queries for 10 locations as for 200.

The budgets (STYLE §5: kept in one place) are the counts measured today; a change that adds a
query must raise its budget here, on purpose. A page or endpoint whose count grows with the
chain fails whatever its budget.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cx_audit.core.models import User
from tests.cx_audit.audit_helpers import published_framework
from tests.cx_audit.insight_helpers import bulk_locations

pytestmark = pytest.mark.django_db

# (URL, most queries). API counts include the user's access scope (1 query for HQ users) and the
# brand the filters resolve to (1); pages add the session, the user and the navigation. Every
# page showing figures over whole audits reads the latest audits once (`latest.latest_set`).
BUDGETS = {
    "/api/insights/summary/": 5,
    "/api/insights/league/": 3,
    "/api/insights/league/?ordering=change&outlet_type=authorized": 3,
    "/api/insights/league/?format=csv": 3,
    "/api/insights/regressions/": 3,
    "/api/insights/location-gaps/": 4,
    "/api/insights/standards/": 5,
    "/api/insights/standards/?format=csv": 5,
    "/api/insights/standards/by-region/": 5,
    "/api/insights/standards/failing-locations/?item_code=SIG-02": 3,
    "/api/insights/consistency/sections/": 4,
    "/api/insights/consistency/items/": 4,
    "/api/insights/comparisons/?by=region": 4,
    "/api/insights/comparisons/?by=franchisee": 4,
    "/api/insights/comparisons/?by=outlet_type": 3,
    "/api/insights/comparisons/?by=city_tier&format=csv": 3,
    "/api/insights/trends/?by=region": 5,
    "/api/insights/heatmaps/sections/": 5,
    "/api/insights/heatmaps/sections/?format=csv": 5,
    "/api/insights/heatmaps/touchpoints/": 5,
    "/api/insights/locations/{location}/": 4,
    "/insights/": 21,
    "/insights/?region={region}": 24,
    "/insights/league/": 13,
    "/insights/regressions/": 11,
    "/insights/location-gaps/": 12,
    "/insights/standards/": 12,
    "/insights/standards/SIG-02/": 13,
    "/insights/consistency/": 15,
    "/insights/comparisons/?by=franchisee": 12,
    "/insights/trends/": 12,
    "/insights/heatmaps/": 15,
    "/insights/locations/{location}/": 8,
}


def count_queries(url: str, user_id: int) -> tuple[int, int]:
    """(status, queries) of one request by a freshly loaded user, as a real request would be."""
    user = User.objects.get(pk=user_id)
    if url.startswith("/api/"):
        client = APIClient()
        client.force_authenticate(user)
    else:
        client = Client()
        client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def test_query_counts_do_not_grow_with_the_chain(chain, role_users):
    framework = published_framework(chain.brand)
    admin, analyst = role_users["hq_admin"], role_users["hq_analyst"]
    options = {
        "regions": [chain.north, chain.north_east, chain.south],
        "franchisees": [chain.f1, chain.f2],
    }
    first = bulk_locations(chain.brand, framework, admin, 10, prefix="A", **options)
    names = {"location": first[1].pk, "region": chain.north.pk}
    urls = {template: template.format(**names) for template in BUDGETS}

    def measure() -> dict[str, int]:
        counts = {}
        for template, url in urls.items():
            status, queries = count_queries(url, analyst.pk)
            assert status == 200, url
            counts[template] = queries
        return counts

    small = measure()
    bulk_locations(chain.brand, framework, admin, 190, prefix="B", **options)
    large = measure()
    grew = {url: (small[url], large[url]) for url in urls if small[url] != large[url]}
    assert not grew, f"queries grew with the chain (10 → 200 locations): {grew}"
    over = {url: (large[url], budget) for url, budget in BUDGETS.items() if large[url] > budget}
    assert not over, f"over budget (queries, budget): {over}"
