"""Input and output schemas of the API, one module per router; ``errors`` is the
error contract every endpoint documents."""
