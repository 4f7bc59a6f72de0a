"""Chapter 9's answer key against typical learner answers (contract: tests/test_answer_keys.py)."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from nnlib.exercises import ch09

from .learner_code import crashes, endless, forgets_return

beta = sp.Symbol("beta")


# ---- 9.2b: one step of momentum, form (B)
def step_old_u(theta, u, grad, lr, beta):
    return theta - lr * u, beta * u + (1 - beta) * grad


def step_form_A(theta, u, grad, lr, beta):
    u = beta * u + grad
    return theta - lr * u, u


def step_uphill(theta, u, grad, lr, beta):
    u = beta * u + (1 - beta) * grad
    return theta + lr * u, u


def step_swapped_pair(theta, u, grad, lr, beta):
    u = beta * u + (1 - beta) * grad
    return u, theta - lr * u


def step_swapped_weights(theta, u, grad, lr, beta):
    u = (1 - beta) * u + beta * grad
    return theta - lr * u, u


def step_in_place(theta, u, grad, lr, beta):
    u *= beta
    u += (1 - beta) * grad
    theta -= lr * u
    return theta, u


def step_B_written_out(theta, u, grad, lr, beta):
    new_u = u + (1 - beta) * (grad - u)      # the moving average, written as a correction
    return (theta - lr * new_u, new_u)


# ---- 9.4a: He initialisers, right and wrong
def he_transposed(fan_in, fan_out, rng):
    return rng.normal(0.0, math.sqrt(2 / fan_in), size=(fan_in, fan_out))


def lecun(fan_in, fan_out, rng):
    return rng.normal(0.0, math.sqrt(1 / fan_in), size=(fan_out, fan_in))


def xavier(fan_in, fan_out, rng):
    return rng.normal(0.0, math.sqrt(2 / (fan_in + fan_out)), size=(fan_out, fan_in))


def he_fan_out(fan_in, fan_out, rng):
    return rng.normal(0.0, math.sqrt(2 / fan_out), size=(fan_out, fan_in))


def he_std_for_variance(fan_in, fan_out, rng):
    return rng.normal(0.0, 2 / fan_in, size=(fan_out, fan_in))


def uniform_wrong_bound(fan_in, fan_out, rng):
    a = math.sqrt(2 / fan_in)
    return rng.uniform(-a, a, size=(fan_out, fan_in))


def he_global_random(fan_in, fan_out, rng):
    return np.random.normal(0.0, math.sqrt(2 / fan_in), size=(fan_out, fan_in))


def positive_only(fan_in, fan_out, rng):
    return np.abs(rng.normal(0.0, math.sqrt(2 / fan_in), size=(fan_out, fan_in)))


def slightly_too_large(fan_in, fan_out, rng):
    return rng.normal(0.0, math.sqrt(2.08 / fan_in), size=(fan_out, fan_in))


def he_uniform(fan_in, fan_out, rng):
    a = math.sqrt(6 / fan_in)                # U(-a, a) has variance a²/3 = 2/fan_in
    return rng.uniform(-a, a, size=(fan_out, fan_in))


def he_standard_normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_out, fan_in)) * np.sqrt(2.0 / fan_in)


# ---- 9.5
G = ch09.grad_norms_15
R = ch09.ratio_15c

WRONG_ANSWERS = [
    ("9.1a", 2.0, "without momentum"),
    ("9.1a", 1.0, "not the friction"),
    ("9.1a", 1.5, "missing the factor 2"),
    ("9.1a", (1 + math.sqrt(0.5)) ** 2, "critical"),
    ("9.1a", "3", "without quotes"),
    ("9.1b", 2 * (1 - beta), "not the friction"),
    ("9.1b", 1 + beta, "missing the factor 2"),
    ("9.1b", (1 + sp.sqrt(beta)) ** 2, "critically damped"),
    ("9.1b", "2/(1-beta)", "not 2/(1 - β)"),
    ("9.1b", sp.Integer(2), "no beta in it"),
    ("9.1b", 2 + 2 * sp.Symbol("alpha"), "cannot appear in the bound"),
    ("9.1c", 0.81, "that is β itself"),
    ("9.1c", 0.19, "that is 1 - β"),
    ("9.1c", 0.1, "that is 1 - √β"),
    ("9.1c", None, "None"),
    ("9.2a", 0.01, "multiplied by 1 - β"),
    ("9.2a", 0.1, "the same α gives a different trajectory"),
    ("9.2a", 0.1 / 0.9, "divided by β"),
    ("9.2b", step_old_u, "with the old u"),
    ("9.2b", step_form_A, "that is form (A)"),
    ("9.2b", step_uphill, "uphill"),
    ("9.2b", step_swapped_pair, "wrong order"),
    ("9.2b", step_swapped_weights, "are swapped"),
    ("9.2b", step_in_place, "in place"),
    ("9.2b", forgets_return, "forget `return`"),
    ("9.2b", endless, "did not finish within"),
    ("9.2c", 0.05, "the sign"),
    ("9.2c", -20.0, "inverted"),
    ("9.2c", -0.1, "between (B) and (A)"),
    ("9.3a", 10.0, "plain gradient descent"),
    ("9.3a", 0.01 * 0.1 * 1000 / math.sqrt(0.001 * 1000**2), "without the bias correction"),
    ("9.3a", 1e-5, "whatever the size of g"),
    ("9.3a", -0.01, "wrong sign"),
    ("9.3b", 0.01, "|g| equals ε"),
    ("9.3b", 0.01 * 1e-8 / math.sqrt(1e-16 + 1e-8), "inside the square root"),
    ("9.3b", 1e-10, "plain gradient descent"),
    ("9.3c", 0.5, "before the bias correction"),
    ("9.3c", 4.5, "are swapped"),
    ("9.3c", 50.0, "corrected once too often"),
    ("9.3d", 5.0, "that is m̂₁, the corrected average"),
    ("9.3d", 4.5, "are swapped"),
    ("9.3d", 0.05, "one factor 1 - β₁ too many"),
    ("9.4a", he_transposed, "transposed"),
    ("9.4a", lecun, "the signal vanishes"),
    ("9.4a", xavier, "Xavier's variance"),
    ("9.4a", he_fan_out, "you used fan_out"),
    ("9.4a", he_std_for_variance, "takes the standard deviation"),
    ("9.4a", uniform_wrong_bound, "U(-a, a) has variance a²/3"),
    ("9.4a", he_global_random, "not from np.random"),
    ("9.4a", positive_only, "symmetric around 0"),
    ("9.4a", slightly_too_large, "it should stay within [0.5, 2]"),
    ("9.4a", lambda fan_in, fan_out, rng: np.zeros((fan_out, fan_in)), "all weights are equal"),
    ("9.4a", lambda fan_in, fan_out, rng: rng.normal(size=(fan_out, fan_in)),
     "about 1.9e+44 times"),
    ("9.4a", lambda fan_in, fan_out, rng: None if fan_in == fan_out else
     rng.normal(0.0, math.sqrt(2 / fan_in), size=(fan_out, fan_in)), "on layer 1 of the 50-layer"),
    ("9.4a", crashes, "raised ZeroDivisionError"),
    ("9.4a", forgets_return, "forget `return`"),
    ("9.4a", endless, "did not finish within"),
    ("9.4a", 2 / 512, "not a function"),
    ("9.4b", 2 / 64, "you used fan_out"),
    ("9.4b", 2 / 576, "Xavier's variance"),
    ("9.4b", 1 / 512, "missing the factor 2"),
    ("9.4b", 0.0625, "that is the standard deviation"),
    ("9.4c", 4.0, "that is E[z²] = Var(z)"),
    ("9.4c", 1.0, "half the standard deviation"),
    ("9.4c", 2 - 2 / math.pi, "that is Var(ReLU(z))"),
    ("9.4c", 2 / math.sqrt(2 * math.pi), "that is E[ReLU(z)], the mean"),
    ("9.5a", 1.0, "maximum of tanh'"),
    ("9.5a", 0.5, "that is σ(0)"),
    ("9.5a", 0.0, "where σ' is largest"),
    ("9.5b", G[::-1], "the order is reversed"),
    ("9.5b", ch09._weight_norms_15, "norms of the weights"),
    ("9.5b", G ** 2, "squared norms"),
    ("9.5b", ch09._with_bias_15, "include the biases"),
    ("9.5b", G[:9], "shape"),
    ("9.5b", G * 2, "layer 1"),
    ("9.5c", 1 / R, "inverted"),
    ("9.5c", 0.25 ** 9, "leaves out the weights"),
    ("9.5c", math.log10(R), "base-10 logarithm"),
    ("9.5c", None, "None"),
]

RIGHT_ANSWERS = [
    ("9.1a", np.float64(3)),
    ("9.1b", 2 * beta + 2),
    ("9.1b", "2*(1 + beta)"),
    ("9.1c", 0.9),
    ("9.2a", np.float32(1.0)),
    ("9.2b", step_B_written_out),
    ("9.2c", sp.Rational(-1, 20)),
    ("9.3a", 0.01),
    ("9.3b", 0.005),
    ("9.3c", 5),
    ("9.3d", sp.Rational(1, 2)),
    ("9.4a", he_uniform),
    ("9.4a", he_standard_normal),
    ("9.4b", 0.00390625),
    ("9.4c", sp.Integer(2)),
    ("9.5a", sp.Rational(1, 4)),
    ("9.5b", G.tolist()),
    ("9.5c", np.float64(G[0]) / np.float64(G[-1])),
]
