"""Feed ingestion: fetch → parse → clean/categorize/mentions → store, scheduled and elected by a lease.

Each stage is its own module and knows nothing of the next: `fetch` speaks HTTP and returns bytes plus
what the server said, `parse` turns bytes into entries, `clean` makes their HTML safe, `store` writes one
source's results in one transaction, `schedule` decides when to look again, `refresh` strings them
together and `loop` runs `refresh` inside the app.
"""
