"""One module per group of CLI commands; each only parses options, calls a verb and renders."""
