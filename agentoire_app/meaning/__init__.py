"""Search by meaning: a small embedding model, vectors for articles and tools, nearest neighbours.

`model` loads the embedding model once per process, off the event loop, and is optional: when the package
is missing (or `AGENTOIRE_SEMANTIC=0`) every caller gets None and search stays lexical. `vectors` holds a
matrix of unit vectors and answers "nearest to this query" with one dot product per row. `articles` keeps
each article's vector in the database (made once, read by every worker); `indexes` holds each worker's
matrices in memory and refreshes them in a background thread when articles or tools change.

The services decide when to widen a search with it (`services.related`); nothing here knows about pages.
"""
