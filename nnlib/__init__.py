"""nnlib: the small numpy neural-network library of *Neural Networks, Derived*.

    >>> from nnlib import Sequential, Dense, Tanh, MSE, SGD
    >>> net = Sequential([Dense(2, 3, rng=0), Tanh(), Dense(3, 1, rng=1)])

Arrays are batch-first: vectors (N, features), images (N, C, H, W).
Importing nnlib loads numpy only; plotting and widgets live in ``nnlib.plot``
and ``nnlib.widgets``, imported on demand.
"""
from .activations import (Activation, ReLU, Sigmoid, Softmax, Tanh, log_softmax, logsumexp,
                          sigmoid, softmax)
from .gradcheck import check_layer, check_loss, compare, numerical_gradient, relative_error
from .layers import Conv2D, Dense, Flatten, Layer, MaxPool2D, Reshape
from .losses import MSE, BinaryCrossEntropy, CrossEntropy, Loss
from .network import DivergedError, History, Sequential
from .optim import SGD, Adam, Momentum, Optimizer
from .data import load_mnist, moons, spirals, to_one_hot, xor

__version__ = "0.1.0"

__all__ = [
    "Activation", "ReLU", "Sigmoid", "Softmax", "Tanh", "log_softmax", "logsumexp", "sigmoid",
    "softmax", "check_layer", "check_loss", "compare", "numerical_gradient", "relative_error",
    "Conv2D", "Dense", "Flatten", "Layer", "MaxPool2D", "Reshape", "MSE", "BinaryCrossEntropy",
    "CrossEntropy", "Loss", "SGD", "Adam", "Momentum", "Optimizer", "DivergedError", "History",
    "Sequential", "load_mnist", "moons", "spirals", "to_one_hot", "xor",
]
