"""Writes of the sampling app: one module per area (tasks, draw, samples, results, publication ...),
one keyword-only function per use case."""
