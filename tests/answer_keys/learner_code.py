"""Learner code that goes wrong in the ways every chapter's checks must survive: endless
loops, crashes, a forgotten ``return``, NaN.  The answer-key tables import what they need."""
from __future__ import annotations

import numpy as np


def endless(*args):
    while True:
        pass


def endless_and_stubborn(*args):
    # Careless code that swallows every Exception and retries, forever.
    while True:
        try:
            while True:
                pass
        except Exception:
            pass


def crashes(*args):
    raise ZeroDivisionError("division by zero")


def forgets_return(*args):
    value = 1.0  # computes, then falls off the end
    value += 1


def returns_nan(*args):
    return np.full(np.shape(args[-2] if len(args) == 3 else args[0]), np.nan)
