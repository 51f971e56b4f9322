"""The embedded default and local development: what ``make run`` uses."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

# The demo, the county-scale generator and the benchmark (``seed_demo``, ``bench``): development only.
INSTALLED_APPS = [*INSTALLED_APPS, "devdata"]
