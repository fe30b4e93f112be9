"""Storage, bulk indexing, search and the regulation registry."""
