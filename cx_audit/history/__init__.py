"""The change history for HQ admins: who changed what, when, before and after (issue 12, finding 10).

The rows are written by django-simple-history (`cx_audit.core.history`); this package reads them:
`tracked` lists the models that keep a history, `diff` works out the changed fields (pure),
`selectors` reads one list over every history table, scoped to the user's brands, and `api` /
`pages` show it. Nothing here writes: the history is append-only.
"""
