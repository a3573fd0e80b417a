"""The news desk's rounds: what runs after feeds are read, and the background loop that runs it all.

`ingest` reads feeds and stores articles and knows nothing of what is built on them; `stories`,
`discovery` and `checks` each build one thing on stored data. This package composes them: a round is a
refresh whose stores are followed, under the same lease, by placing the new articles into stories and
finding the tools they mention; the loop runs rounds and the tool checks on the app's rhythm. The CLI and
the app call this package, never the steps one by one, so both do the same work.
"""
