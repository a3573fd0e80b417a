"""Network rules shared by ingest and services (no database, no HTTP client): which addresses are public."""
