"""Feed ingestion: fetch → parse → clean/categorize/mentions → store, scheduled and elected by a lease.

Each stage is its own module and knows nothing of the next: `fetch` speaks HTTP and returns bytes plus
what the server said, `parse` turns bytes into entries, `clean` makes their HTML safe, `store` writes one
source's results in one transaction, `schedule` decides when to look again and `source_rules` what a fetch
does to the source row; `due`, `parse_pool`, `writer` and `lease` serve `refresh`, which strings them
together, and `loop` runs `refresh` inside the app. Ingest sits below `services` and never imports it.
"""
