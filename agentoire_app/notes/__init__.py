"""Notes written for the story: a real summary, and practitioner notes grounded in what we can trace.

`summary` picks one or two sentences of the article's own text; `facts` pulls out what the story reports
(figures, availability, licences) with the sentence that says it; `compose` turns facts and the catalog's
tools into short HTML notes; `llm` and `grounding` let an optional OpenAI-compatible model write the notes
instead, checked against those same facts. Pure text work on what it is given: it imports nothing of ours
above `models`, so ingest can make the story's part while preparing an entry. The database side (which
articles need notes, the model's job queue) is `desk.notes_jobs` and `desk.notes_queue`.
"""
