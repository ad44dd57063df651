"""Chain insights for HQ: league table, gap ranking, consistency, comparisons, trends (DESIGN §4).

`filters` reads the request, `latest` picks each location's latest audit, the topic modules
(`rankings`, `standards`, `consistency`, `comparisons`, `trends`, `heatmaps`, `scorecard`,
`summary`) query the database, `maths` holds the pure formulas (docs/insights.md), `tables`
writes rows out as JSON and CSV, `views` renders the pages; the API is `cx_audit.insights.api`.
"""
