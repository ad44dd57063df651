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

from cx_audit.models import User

from .audit_helpers import published_framework
from .insight_helpers import bulk_locations

pytestmark = pytest.mark.django_db

# (URL, most queries). API counts include authentication and the user's scope (4 queries);
# pages add the session and the navigation.
BUDGETS = {
    "/api/insights/summary/": 11,
    "/api/insights/league/": 6,
    "/api/insights/league/?ordering=change&outlet_type=authorized": 6,
    "/api/insights/league/?format=csv": 6,
    "/api/insights/regressions/": 6,
    "/api/insights/location-gaps/": 7,
    "/api/insights/standards/": 8,
    "/api/insights/standards/?format=csv": 8,
    "/api/insights/standards/by-region/": 8,
    "/api/insights/standards/failing-locations/?item_code=SIG-02": 6,
    "/api/insights/consistency/sections/": 7,
    "/api/insights/consistency/items/": 7,
    "/api/insights/comparisons/?by=region": 9,
    "/api/insights/comparisons/?by=franchisee": 9,
    "/api/insights/comparisons/?by=outlet_type": 8,
    "/api/insights/comparisons/?by=city_tier&format=csv": 8,
    "/api/insights/trends/?by=region": 8,
    "/api/insights/heatmaps/sections/": 8,
    "/api/insights/heatmaps/sections/?format=csv": 8,
    "/api/insights/heatmaps/touchpoints/": 8,
    "/api/insights/locations/{location}/": 10,
    "/insights/": 35,
    "/insights/?region={region}": 38,
    "/insights/league/": 15,
    "/insights/regressions/": 13,
    "/insights/location-gaps/": 14,
    "/insights/standards/": 15,
    "/insights/standards/SIG-02/": 16,
    "/insights/consistency/": 17,
    "/insights/comparisons/?by=franchisee": 16,
    "/insights/trends/": 15,
    "/insights/heatmaps/": 18,
    "/insights/locations/{location}/": 13,
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
