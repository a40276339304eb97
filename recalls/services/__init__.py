"""Writes of recalls: one keyword-only function per use case (defect reports, investigations, recalls)."""
