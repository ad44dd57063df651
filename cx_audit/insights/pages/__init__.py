"""The HQ insight pages under /insights/ (the API's are under /api/insights/), by page group.

`chain`: the dashboard, comparisons and trends; `locations`: the league, regressions, location
gaps, heat maps and one location's scorecard; `standards`: the gap ranking, one standard and
consistency. Every page reads the same `InsightFilterSet` as the API, shows its tables from their
declarations (`insights.catalogue`) and links their CSV exports to the API (``?format=csv``).
HQ roles only (403 otherwise); bad filters answer 400 with the form explaining which field is wrong.
"""
