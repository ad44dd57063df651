"""Chain insights for HQ: league table, gap ranking, consistency, comparisons, trends (DESIGN §4).

`filters` reads the request, `latest` picks each location's latest audit, the topic modules
(`rankings`, `standards`, `consistency`, `comparisons`, `trends`, `heatmaps`, `summary`) query the
database, `maths` holds the pure formulas (docs/insights.md), `scorecard` is HQ's drill into one
location (on the card shared with the franchisee's scorecard, `cx_audit.audits.locationcard`).
`catalogue` declares every table once (selector, row, orderings, CSV columns); `tables` pages rows
and writes them out as JSON and CSV; `pages` renders the pages and `api` the API, both from the
declarations.
"""
