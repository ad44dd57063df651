"""Franchisee scorecards: the portal, one location's scorecard (page, PDF, API, share link),
disputes of findings, and bulk PDF exports."""
