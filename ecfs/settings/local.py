"""The embedded default and local development: what ``make run`` uses."""

from .base import *  # noqa: F403
