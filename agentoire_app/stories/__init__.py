"""Stories: every article belongs to one story, the articles of all sources that report one event.

Layered like ingest: it may import models and services, never state, components or pages.
"""
