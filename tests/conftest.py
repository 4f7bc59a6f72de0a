"""Shared test settings."""
from hypothesis import settings

# Property tests draw the same examples on every run, so a result is reproducible;
# `pytest --hypothesis-profile=explore` draws new ones when hunting for edge cases.
settings.register_profile("default", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None, max_examples=200)
settings.load_profile("default")
