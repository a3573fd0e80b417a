"""Notes written for the story: a real summary, and practitioner notes grounded in what we can trace.

`summary` picks one or two sentences of the article's own text; `facts` pulls out what the story reports
(figures, availability, licences) with the sentence that says it; `compose` turns facts and the catalog's
tools into short HTML notes; `llm`, `grounding` and `jobs` let an optional OpenAI-compatible model write
the notes instead, checked against those same facts. Layered like `ingest`: imports models, services and
ingest's text helpers, never state, components or pages.
"""
