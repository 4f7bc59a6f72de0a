"""Sequential: a network as a list of layers, and the training loop that fits it.

Vocabulary (used the same way throughout the book):

* a **step** (or iteration) is one weight update, from one mini-batch;
* an **epoch** is one pass over the whole training set: ceil(N / batch_size) steps.

Some tutorials call a single weight update an "epoch"; it is not.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._checks import make_rng


class DivergedError(FloatingPointError):
    """Training stopped because the loss became NaN or infinite."""


@dataclass
class History:
    """What ``fit`` measured.  Per epoch: ``loss``, ``accuracy`` (training set, averaged
    over the epoch's batches while the weights changed), ``val_loss`` and ``val_accuracy``
    (with ``validation_data``).  Per step: ``batch_loss``.  Accuracies are None where
    they do not apply (regression)."""

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    batch_loss: list = field(default_factory=list)

    @property
    def epochs(self) -> int:
        return len(self.loss)

    def __repr__(self):
        def last(xs):
            return "-" if not xs or xs[-1] is None else f"{xs[-1]:.4g}"
        return (f"History(epochs={self.epochs}, steps={len(self.batch_loss)}, loss={last(self.loss)}, "
                f"accuracy={last(self.accuracy)}, val_loss={last(self.val_loss)}, "
                f"val_accuracy={last(self.val_accuracy)})")


class Sequential:
    """A network that applies its layers in order: ŷ = f_L(… f_2(f_1(x))).

    ``forward`` runs the layers first to last; ``backward`` runs the chain rule
    last to first, each layer turning dL/d(its output) into dL/d(its input) and
    filling its own ``grads`` on the way.
    """

    def __init__(self, layers):
        self.layers = list(layers)
        if not self.layers:
            raise ValueError("Sequential needs at least one layer")

    def forward(self, X):
        """ŷ for a batch X (shapes as the first layer expects, batch first)."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    __call__ = forward

    def backward(self, grad_out, input_grad: bool = True):
        """Back-propagate dL/dŷ through every layer; return dL/dX (None if not ``input_grad``).

        Training never needs dL/dX of the first layer, so ``fit`` passes
        ``input_grad=False`` and saves that work (for a first Conv2D, most of its backward).
        """
        for i in range(len(self.layers) - 1, -1, -1):
            grad_out = self.layers[i].backward(grad_out, input_grad=input_grad or i > 0)
        return grad_out

    def predict(self, X, batch_size: int = 1024):
        """Outputs for X, computed in batches of ``batch_size`` to bound memory."""
        X = np.asarray(X)
        if len(X) <= batch_size:
            return self.forward(X)
        return np.concatenate([self.forward(X[i:i + batch_size])
                               for i in range(0, len(X), batch_size)])

    def evaluate(self, x, y, loss, batch_size: int = 1024) -> dict:
        """{'loss': L, 'accuracy': fraction correct or None} on the whole of (x, y)."""
        _check_lengths(x, y)
        y_pred = self.predict(x, batch_size)
        return {"loss": loss.value(y_pred, y), "accuracy": loss.accuracy(y_pred, y)}

    def fit(self, x, y, loss, optimizer, epochs: int = 1, batch_size: int = 32,
            shuffle: bool = True, rng=None, progress: bool = True,
            validation_data=None) -> History:
        """Mini-batch training: per step, forward, loss gradient, backward, ``optimizer.step``.

        Each epoch visits every sample once, in a new random order when ``shuffle``
        (drawn from ``rng``: a Generator or a seed, for reproducible runs).  Stops with
        ``DivergedError`` when the loss becomes NaN or inf.  Returns a ``History``.
        """
        _check_lengths(x, y)
        if int(epochs) < 1 or int(batch_size) < 1:
            raise ValueError(f"epochs and batch_size must be >= 1, got {epochs} and {batch_size}")
        x, y = np.asarray(x), np.asarray(y)
        n_samples = len(x)
        steps_per_epoch = math.ceil(n_samples / batch_size)
        rng = make_rng(rng)
        history = History()
        bar = _progress_bar(epochs * steps_per_epoch, progress)
        try:
            for epoch in range(1, epochs + 1):
                order = rng.permutation(n_samples) if shuffle else None
                total_loss, total_correct, has_accuracy = 0.0, 0.0, True
                for step in range(steps_per_epoch):
                    batch = slice(step * batch_size, (step + 1) * batch_size)
                    if shuffle:
                        xb, yb = x[order[batch]], y[order[batch]]
                    else:  # slices are views: no copy
                        xb, yb = x[batch], y[batch]
                    # Overflow inside a diverging network is reported once, below, as a
                    # DivergedError with advice, not as a stream of numpy warnings.
                    with np.errstate(over="ignore", invalid="ignore"):
                        y_pred = self.forward(xb)
                        batch_loss = loss.value(y_pred, yb)
                        if not math.isfinite(batch_loss):
                            raise DivergedError(_diverged_message(batch_loss, epoch, step + 1,
                                                                  optimizer))
                        self.backward(loss.grad(y_pred, yb), input_grad=False)
                    optimizer.step(self.layers)
                    history.batch_loss.append(batch_loss)
                    total_loss += batch_loss * len(xb)
                    accuracy = loss.accuracy(y_pred, yb)
                    if accuracy is None:
                        has_accuracy = False
                    else:
                        total_correct += accuracy * len(xb)
                    if bar is not None:
                        bar.update(1)
                        if step % 10 == 0:
                            bar.set_postfix(epoch=epoch, loss=f"{batch_loss:.4f}", refresh=False)
                history.loss.append(total_loss / n_samples)
                history.accuracy.append(total_correct / n_samples if has_accuracy else None)
                if validation_data is not None:
                    scores = self.evaluate(*validation_data, loss)
                    history.val_loss.append(scores["loss"])
                    history.val_accuracy.append(scores["accuracy"])
        finally:
            if bar is not None:
                bar.close()
        return history

    @property
    def n_params(self) -> int:
        return sum(layer.n_params for layer in self.layers)

    def summary(self) -> str:
        """One line per layer with its parameter count, and the total."""
        lines = [f"{i:>3}  {layer!r:<36} {layer.n_params:>10,}" for i, layer in enumerate(self.layers)]
        lines.append(f"     {'total parameters':<36} {self.n_params:>10,}")
        return "\n".join(lines)

    def __repr__(self):
        inner = ",\n".join(f"  {layer!r}" for layer in self.layers)
        return f"Sequential([\n{inner}\n])"


def _check_lengths(x, y):
    if len(x) != len(y):
        raise ValueError(f"x and y must have one row per sample: x has {len(x)} rows, y has {len(y)}")
    if len(x) == 0:
        raise ValueError("x and y are empty: there is nothing to train or evaluate on")


def _diverged_message(value, epoch, step, optimizer):
    lr = getattr(optimizer, "lr", None)
    advice = (f"try a smaller learning rate, e.g. lr={lr / 10:g} instead of {lr:g}"
              if lr is not None else "try a smaller learning rate")
    return (f"training diverged: the loss became {value} at epoch {epoch}, step {step}. "
            f"The updates are too large for this loss surface; {advice}.")


def _progress_bar(total, enabled):
    if not enabled:
        return None
    from tqdm.auto import tqdm  # imported here: tqdm.auto may load ipywidgets in a notebook
    return tqdm(total=total, unit="step", leave=False)
