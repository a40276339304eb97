"""Browser forms of the sampling app: they validate input shapes; the services decide the rules."""
