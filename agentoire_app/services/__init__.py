"""Queries and commands on the database: plain functions taking `*, session`, tested without a server."""
