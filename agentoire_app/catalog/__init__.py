"""The tool catalog: our taxonomy, the shipped `data/tools.yaml`, importers for other lists and the loader.

`records` holds the shapes every importer produces; `ours`, `awesome_agents` and `markdown` parse one
format each without touching a database; `mapping` maps other lists' categories onto `taxonomy`;
`loader` is the only module that writes rows; `sources` is the provenance and licence registry.
"""
