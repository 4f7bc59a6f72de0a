"""Small input checks shared by layers and losses: clear messages, no silent casts."""
from __future__ import annotations

import numpy as np


def as_float_array(x, dtype, where: str) -> np.ndarray:
    """Return ``x`` as an array of ``dtype`` without copying when it already is one.

    Integer and boolean inputs (pixel bytes, labels) are converted; complex or object
    arrays are refused with a ``TypeError`` that names ``where``.
    """
    x = np.asarray(x)
    if x.dtype == dtype:
        return x
    if not (np.issubdtype(x.dtype, np.number) or x.dtype == np.bool_) or np.iscomplexobj(x):
        raise TypeError(f"{where}: expected a real numeric array, got dtype {x.dtype}")
    return x.astype(dtype)


def shape_text(shape) -> str:
    """``(None, 1, 'H', 'W')`` -> ``'(N, 1, H, W)'``: None is the batch size, a name any size."""
    parts = ["N" if s is None else str(s) for s in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def check_shape(x: np.ndarray, expected, where: str) -> None:
    """Raise ``ValueError`` naming ``where`` unless ``x.shape`` matches ``expected``.

    ``expected`` is a tuple of sizes; ``None`` (the batch) and names such as ``'H'`` match any size.
    """
    ok = x.ndim == len(expected) and all(
        e is None or isinstance(e, str) or e == s for e, s in zip(expected, x.shape))
    if not ok:
        raise ValueError(
            f"{where}: expected input of shape {shape_text(expected)}, got {tuple(x.shape)}"
        )


def make_rng(rng) -> np.random.Generator:
    """Accept a ``numpy.random.Generator``, an int seed or ``None`` (fresh entropy)."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)
