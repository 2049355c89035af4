"""Content integrity checks (issue 12) — skeleton only; see the lead's report.

Planned interface for moderation (issue 13): one stored Check per (document,
kind) with its Hits; a publish gate registered with documents.publishing in
AppConfig.ready(). Not yet built.
"""
