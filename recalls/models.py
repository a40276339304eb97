"""Data of this app lands with its issue."""
