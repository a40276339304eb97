"""Local use (``make run``): the base settings; DEBUG stays off unless DEBUG=true is set."""

from .base import *  # noqa: F403
