"""Chapter 9, Training deep networks: the expected answers of the graded exercises.

The notebook is ``solutions/09-training-deep-networks.ipynb`` (learners get ``exercises/``).
Every expected value is computed here: the momentum bounds from the characteristic
polynomial of the one-direction update (sympy), the conventions and Adam's first step by
running them (nnlib's own ``Momentum`` and ``Adam``), He's rule from the variance of a sum,
and the gradient norms of the deep sigmoid network from nnlib's backward pass.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ..activations import Sigmoid
from ..layers import Dense
from ..losses import MSE
from ..network import Sequential
from ..optim import Adam, Momentum
from . import Exercise
from .judges import Array, BuildsOn, Case, Expression, Function, Number, describe, fmt
from .timelimit import run_with_time_limit

TITLE = "Training deep networks"

# ---- 9.1 When momentum converges: one direction of curvature λ, x = αλ
beta, x, mu = sp.symbols("beta x mu", positive=True)
_M = sp.Matrix([[1 - x, -x * beta], [1, beta]])   # (θ, αv) ↦ next, with x = αλ
_p = sp.expand((_M - mu * sp.eye(2)).det())       # μ² - (1 + β - x)μ + β
assert sp.simplify(_p - (mu**2 - (1 + beta - x) * mu + beta)) == 0
# μ = 1 is never a root (p(1) = x > 0); the loop leaves through μ = -1: p(-1) = 0.
BOUND_11 = sp.solve(_p.subs(mu, -1), x)[0]        # 2(1 + β)
assert sp.simplify(BOUND_11 - 2 * (1 + beta)) == 0
assert sp.simplify(_M.det() - beta) == 0            # complex pair: |μ|² = det M = β
BETA_11A = sp.Rational(1, 2)
bound_11a = float(BOUND_11.subs(beta, BETA_11A))    # 3
BETA_11C = sp.Rational(81, 100)
# Critical damping: a double root, at x = (1 - √β)²; it is μ = tr/2.
_x_crit = (1 - sp.sqrt(BETA_11C)) ** 2
_roots = sp.roots(sp.Poly(_p.subs({beta: BETA_11C, x: _x_crit}), mu))
assert list(_roots.values()) == [2]
rate_11c = float(abs(next(iter(_roots))))           # √β = 0.9
assert abs(rate_11c - float(sp.sqrt(BETA_11C))) < 1e-15


# ---- 9.2 Three conventions, one method
LR_12A, BETA_12 = 0.1, 0.9
LR_12C = 0.05


def _run_A(lr, b, grads):
    theta, v, path = 0.0, 0.0, []
    for g in grads:
        v = b * v + g
        theta = theta - lr * v
        path.append(theta)
    return np.array(path), v


def _run_B(lr_b, b, grads):
    theta, u, path = 0.0, 0.0, []
    for g in grads:
        u = b * u + (1 - b) * g
        theta = theta - lr_b * u
        path.append(theta)
    return np.array(path)


def _run_C(lr, b, grads):
    theta, w, path = 0.0, 0.0, []
    for g in grads:
        w = b * w - lr * g
        theta = theta + w
        path.append(theta)
    return np.array(path), w


_grads = np.random.default_rng(9).normal(size=20)
lr_B_12a = LR_12A / (1 - BETA_12)                   # 1.0
assert np.allclose(_run_B(lr_B_12a, BETA_12, _grads), _run_A(LR_12A, BETA_12, _grads)[0])
_path_A, _v_A = _run_A(LR_12C, BETA_12, _grads)
_path_C, _w_C = _run_C(LR_12C, BETA_12, _grads)
assert np.allclose(_path_A, _path_C)
factor_12c = float(_w_C / _v_A)                     # -α
assert abs(factor_12c + LR_12C) < 1e-12


def momentum_step_B(theta, u, grad, lr, beta):
    """Form (B): u ← βu + (1-β)g, θ ← θ - α_B u; returns (θ, u), new arrays."""
    u = beta * u + (1 - beta) * grad
    return theta - lr * u, u


# The reference agrees with nnlib.Momentum (form A) at α = α_B (1 - β), from u = v = 0.
_layer = Dense(3, 2, rng=1)
_theta0 = _layer.params["W"].copy()
_opt = Momentum(lr=0.02 * (1 - 0.8), beta=0.8)
_th, _u = _theta0.copy(), np.zeros_like(_theta0)
for _k in range(5):
    _layer.grads["W"] = _g = np.sin(_theta0 + _k)
    _layer.grads["b"] = np.zeros(2)
    _opt.step([_layer])
    _th, _u = momentum_step_B(_th, _u, _g, 0.02, 0.8)
assert np.allclose(_th, _layer.params["W"], rtol=1e-12, atol=1e-14)

_rng12 = np.random.default_rng(12)
STEP_CASES = [
    Case((np.array([1.0, -2.0]), np.array([0.5, 0.25]), np.array([0.3, -0.1]), 0.1, 0.9),
         "θ = [1, -2], u = [0.5, 0.25], g = [0.3, -0.1], lr = 0.1, β = 0.9"),
    Case((np.zeros(3), np.zeros(3), np.array([1.0, 2.0, -3.0]), 0.5, 0.5),
         "θ = 0, u = 0, g = [1, 2, -3], lr = 0.5, β = 0.5"),
    Case((_rng12.normal(size=(2, 3)), _rng12.normal(size=(2, 3)), _rng12.normal(size=(2, 3)),
          0.01, 0.99), "random 2×3 arrays θ, u, g, lr = 0.01, β = 0.99"),
]


# ---- 9.3 Adam's first step
LR_13 = 0.01
G_13A, G_13B = 1000.0, 1e-8
G_13C, BETA1_13 = 5.0, 0.9


def _adam_first_step(g, lr=LR_13):
    """|Δθ| of nnlib.Adam's first step for a one-number parameter with gradient g."""
    layer = Dense(1, 1, rng=0)
    before = layer.params["W"].copy()
    layer.grads["W"], layer.grads["b"] = np.array([[g]]), np.zeros(1)
    opt = Adam(lr=lr)
    opt.step([layer])
    return float(abs(layer.params["W"] - before)[0, 0]), opt


step_13a, _adam = _adam_first_step(G_13A)
step_13b, _ = _adam_first_step(G_13B)
EPS_13 = _adam.eps
# The step is η g/(|g| + ε) (ε outside the root): ≈ η for |g| ≫ ε, η/2 at |g| = ε.
assert abs(step_13b - LR_13 * G_13B / (G_13B + EPS_13)) < 1e-12 * LR_13
m1_13d = (1 - BETA1_13) * G_13C                     # 0.5
m_hat_13c = m1_13d / (1 - BETA1_13 ** 1)            # 5
_plain_13a = LR_13 * G_13A                          # a gradient-descent step
_uncorrected_13a = LR_13 * (1 - 0.9) * G_13A / np.sqrt((1 - 0.999) * G_13A**2)


# ---- 9.4 Initialisation
z = sp.Symbol("z", real=True)
VAR_Z_14C = 4
_density = sp.exp(-z**2 / (2 * VAR_Z_14C)) / sp.sqrt(2 * sp.pi * VAR_Z_14C)
relu_sq_14c = float(sp.integrate(z**2 * _density, (z, 0, sp.oo)))          # Var(z)/2 = 2
_relu_mean_14c = float(sp.integrate(z * _density, (z, 0, sp.oo)))          # σ/√(2π)
assert relu_sq_14c == VAR_Z_14C / 2
FAN_IN_14B, FAN_OUT_14B = 512, 64
var_14b = 2 / FAN_IN_14B

WIDTH_14, DEPTH_14 = 128, 50
SHAPE_IN_14, SHAPE_OUT_14 = 100, 400      # fan_in ≠ fan_out: tells the variance rules apart
#: (ratio of the variance to He's 2/fan_in on the 100 → 400 layer, what was used)
VARIANCE_RULES = (
    (0.5, "the variance is 1/fan_in (LeCun's rule, Xavier's forward half): right for tanh, "
          "but ReLU zeroes half of each layer's input, so it halves the variance at every "
          "layer and the signal vanishes; He doubles it: 2/fan_in"),
    (2 / (SHAPE_IN_14 + SHAPE_OUT_14) / (2 / SHAPE_IN_14),
     "that is Xavier's variance 2/(fan_in + fan_out), made for tanh; for ReLU use He's "
     "2/fan_in"),
    (SHAPE_IN_14 / SHAPE_OUT_14, "you used fan_out: He's variance is 2/fan_in, the number of "
                                 "inputs each unit sums over"),
    (0.5 * SHAPE_IN_14 / SHAPE_OUT_14, "the variance is 1/fan_out: He's is 2/fan_in"),
    (1 / 3, "the variance is a third of 2/fan_in: a uniform U(-a, a) has variance a²/3, so "
            "its bound must be a = √(6/fan_in), not √(2/fan_in)"),
    (2 / SHAPE_IN_14, "the standard deviation is 2/fan_in, so the variance is (2/fan_in)²: "
                      "numpy's normal(loc, scale) takes the standard deviation, √(2/fan_in)"),
)


class HeInitialiser:
    """``he_init(fan_in, fan_out, rng)``: an array of shape (fan_out, fan_in), drawn from
    ``rng``, with mean 0 and variance 2/fan_in.

    The test network: 50 square ReLU layers of width 128, each weight matrix drawn with the
    learner's function.  The per-layer gain of the activations' mean square is
    n·Var(w)/2 in expectation over the weights, so from layer 1 to layer 50 their standard
    deviation changes by (n·Var(w)/2)^(49/2) on average over networks; it must lie in
    [0.5, 2].  (The variance is measured on the 50 drawn matrices, 819,200 weights, to about
    0.2 %; one network's own ratio wanders far around that average at this width, so a single
    run would not be a fair test.)  One network is also run, to catch NaN or infinity.
    """

    seed: int = 2024

    def __call__(self, answer, time_limit: float | None = None):
        limit = time_limit or 2.0
        if answer is None:
            return False, ("the answer is None: define the function "
                           "`he_init(fan_in, fan_out, rng)` and return the array")
        if not callable(answer):
            return False, f"the answer is {describe(answer)}, not a function"
        name = getattr(answer, "__name__", "your function")

        def draw(fan_in, fan_out, seed):
            rng = np.random.default_rng(seed)
            run = run_with_time_limit(lambda: answer(fan_in, fan_out, rng), limit)
            where = f"for fan_in = {fan_in}, fan_out = {fan_out}"
            if run.timed_out:
                return None, f"{name} did not finish within {limit:g} s {where}"
            if run.error is not None:
                return None, f"{name} raised {type(run.error).__name__}: {run.error} {where}"
            if run.value is None:
                return None, f"{name} returned None {where}: did you forget `return`?"
            try:
                w = np.asarray(run.value, dtype=np.float64)
            except (TypeError, ValueError):
                return None, f"{name} returned {describe(run.value)} {where}, not an array"
            if w.shape != (fan_out, fan_in):
                if w.shape == (fan_in, fan_out):
                    return None, (f"{name} returned shape {w.shape} {where}: transposed. "
                                  "nnlib's Dense holds W as (fan_out, fan_in), one row per "
                                  "output unit (forward is X @ W.T)")
                return None, (f"{name} returned shape {w.shape} {where}, expected "
                              f"(fan_out, fan_in) = {(fan_out, fan_in)}")
            if not np.all(np.isfinite(w)):
                return None, f"{name} returned an array with NaN or infinity {where}"
            return w, ""

        w, why = draw(SHAPE_IN_14, SHAPE_OUT_14, self.seed)
        if w is None:
            return False, why
        if np.all(w == w.flat[0]):
            return False, ("all weights are equal: every unit of a layer would then compute "
                           "the same thing; draw them at random")
        again, why = draw(SHAPE_IN_14, SHAPE_OUT_14, self.seed)
        if again is None:
            return False, why
        if not np.array_equal(w, again):
            return False, ("two calls with generators seeded alike gave different weights: "
                           "draw from the `rng` you are given (rng.normal(...)), not from "
                           "np.random, so that a seed reproduces a network")
        other, why = draw(SHAPE_IN_14, SHAPE_OUT_14, self.seed + 1)
        if other is None:
            return False, why
        if np.array_equal(w, other):
            return False, ("two differently seeded generators gave the same weights: draw "
                           "from the `rng` you are given rather than making your own")
        he = 2 / SHAPE_IN_14
        std = np.sqrt(np.mean(w ** 2))
        if abs(w.mean()) > 0.05 * std:
            return False, (f"the weights' mean is {fmt(w.mean())}, not about 0 (their typical "
                           f"size is {fmt(std)}): draw them symmetric around 0")
        ratio = w.var() / he
        if abs(ratio - 1) > 0.05:
            for r, message in VARIANCE_RULES:
                if abs(ratio / r - 1) < 0.05:
                    return False, message + self._depth_note(draw)
            return False, (f"for fan_in = {SHAPE_IN_14}, fan_out = {SHAPE_OUT_14} the weights' "
                           f"variance is {fmt(w.var())}; He's is 2/fan_in = {fmt(he)}"
                           + self._depth_note(draw))

        # The 50-layer network, each matrix drawn with the learner's function.
        rng = np.random.default_rng(self.seed + 2)
        a = np.random.default_rng(self.seed + 3).normal(size=(64, WIDTH_14))
        weights = []
        for layer in range(DEPTH_14):
            run = run_with_time_limit(lambda: answer(WIDTH_14, WIDTH_14, rng), limit)
            where = (f"on layer {layer + 1} of the 50-layer network "
                     f"(fan_in = fan_out = {WIDTH_14})")
            if run.timed_out:
                return False, f"{name} did not finish within {limit:g} s {where}"
            if run.error is not None:
                return False, f"{name} raised {type(run.error).__name__}: {run.error} {where}"
            if run.value is None:
                return False, f"{name} returned None {where}: did you forget `return`?"
            W = np.asarray(run.value, dtype=np.float64)
            if W.shape != (WIDTH_14, WIDTH_14):
                return False, f"{name} returned shape {W.shape} for fan_in = fan_out = {WIDTH_14}"
            weights.append(W)
            a = np.maximum(a @ W.T, 0)
        if not np.all(np.isfinite(a)):
            return False, "the 50-layer network's activations overflowed (NaN or infinity)"
        gain = WIDTH_14 * np.var(weights) / 2
        factor = gain ** ((DEPTH_14 - 1) / 2)
        if not 0.5 <= factor <= 2:
            return False, (f"in a 50-layer ReLU network of width {WIDTH_14} your weights have "
                           f"variance {fmt(np.var(weights))} (He: 2/{WIDTH_14} = "
                           f"{fmt(2 / WIDTH_14)}), so the activations' standard deviation "
                           f"changes by {fmt(factor)} from layer 1 to layer 50; it should stay "
                           "within [0.5, 2]")
        return True, ""

    def _depth_note(self, draw):
        """What the same rule does to the square test network (width 128, 50 ReLU layers)."""
        w, why = draw(WIDTH_14, WIDTH_14, self.seed + 4)
        if w is None:
            return ""
        log10_factor = (DEPTH_14 - 1) / 2 * np.log10(WIDTH_14 * float(w.var()) / 2)
        if abs(log10_factor) > 300:
            return (f". In a 50-layer ReLU network of width {WIDTH_14} the activations' "
                    f"standard deviation at layer 50 would be about 1e{log10_factor:.0f} times "
                    "that at layer 1")
        factor = 10.0 ** log10_factor
        if 0.5 <= factor <= 2:
            return (f" (in a network whose layers all have fan_in = fan_out = {WIDTH_14} this "
                    "rule happens to agree with He's, but not where the widths change)")
        return (f". In a 50-layer ReLU network of width {WIDTH_14} the activations' standard "
                f"deviation at layer 50 would be about {factor:.2g} times that at layer 1")


# ---- 9.5 A deep sigmoid network
N_IN_15, WIDTH_15, N_LAYERS_15, N_15 = 8, 16, 10, 32


def sigmoid_network():
    """The exercise's network: 10 Dense layers (8 → 16 → … → 16 → 1), a Sigmoid after each
    of the first nine, Xavier weights from seeds 0..9; a batch of 32 and its targets."""
    sizes = [N_IN_15] + [WIDTH_15] * (N_LAYERS_15 - 1) + [1]
    layers = []
    for l in range(N_LAYERS_15):
        layers.append(Dense(sizes[l], sizes[l + 1], rng=l))
        if l < N_LAYERS_15 - 1:
            layers.append(Sigmoid())
    data = np.random.default_rng(15)
    X = data.normal(size=(N_15, N_IN_15))
    y = data.normal(size=(N_15, 1))
    return Sequential(layers), X, y


def _gradient_norms():
    net, X, y = sigmoid_network()
    loss = MSE()
    net.backward(loss.grad(net.forward(X), y))
    dense = [layer for layer in net.layers if isinstance(layer, Dense)]
    return (np.array([np.linalg.norm(d.grads["W"]) for d in dense]),
            np.array([np.linalg.norm(d.params["W"]) for d in dense]),
            np.array([np.sum(d.grads["W"] ** 2) for d in dense]),
            np.array([np.sqrt(np.sum(d.grads["W"] ** 2) + np.sum(d.grads["b"] ** 2))
                      for d in dense]))


grad_norms_15, _weight_norms_15, _squared_15, _with_bias_15 = _gradient_norms()
ratio_15c = float(grad_norms_15[0] / grad_norms_15[-1])
_t = sp.Symbol("t", real=True)
_sig = 1 / (1 + sp.exp(-_t))
max_sigma_prime_15a = float(sp.diff(_sig, _t).subs(_t, 0))   # σ'' = 0 at t = 0
assert sp.simplify(sp.diff(_sig, _t, 2).subs(_t, 0)) == 0
assert max_sigma_prime_15a == 0.25


EXERCISES = [
    Exercise("9.1a", 1, "the bound on αλ for β = 0.5", Number(bound_11a, mistakes=(
        (2.0, "that is the bound without momentum, 2 (β = 0); momentum widens it to 2(1 + β)"),
        (float(2 * (1 - BETA_11A)), "β is the share of the velocity kept, not the friction: "
                                    "the bound is 2(1 + β), not 2(1 - β)"),
        (float(1 + BETA_11A), "missing the factor 2: a root leaves the unit circle "
                              "through μ = -1 at αλ = 2(1 + β)"),
        (float((1 + sp.sqrt(BETA_11A)) ** 2), "that is (1 + √β)², where the damping is "
                                               "critical; momentum still converges beyond it, "
                                               "up to 2(1 + β)"),
    ))),
    Exercise("9.1b", 2, "the bound on αλ as a formula in β", Expression(
        BOUND_11, {beta: (0.0, 0.99)},
        symbol_note="αλ is what it bounds, so it cannot appear in the bound",
        mistakes=(
            (2 * (1 - beta), "β is the share of the velocity kept, not the friction: the "
                             "bound grows with β"),
            (1 + beta, "missing the factor 2: set μ = -1 in μ² - (1 + β - αλ)μ + β = 0"),
            ((1 + sp.sqrt(beta)) ** 2, "that is (1 + √β)², the end of the critically damped "
                                       "range; convergence goes on up to where μ = -1"),
            (2 / (1 - beta), "not 2/(1 - β): set μ = -1 in μ² - (1 + β - αλ)μ + β = 0"),
        ))),
    Exercise("9.1c", 1, "the contraction of a critically damped direction, β = 0.81", Number(
        rate_11c, mistakes=(
            (float(BETA_11C), "that is β itself: the two eigenvalues' product is β, so each has "
                              "modulus √β"),
            (float(1 - BETA_11C), "that is 1 - β: the eigenvalues' modulus is √β"),
            (float(1 - sp.sqrt(BETA_11C)), "that is 1 - √β: the contraction factor is √β per "
                                           "step (the error is multiplied by it)"),
        ))),
    Exercise("9.2a", 1, "the learning rate of form (B) for α = 0.1, β = 0.9", Number(
        lr_B_12a, mistakes=(
            (LR_12A * (1 - BETA_12), "multiplied by 1 - β instead of dividing: u = (1 - β)v is "
                                     "smaller, so α_B must be larger, α/(1 - β)"),
            (LR_12A, "the same α gives a different trajectory: (B)'s u is (1 - β) times (A)'s "
                     "v, so α_B = α/(1 - β)"),
            (LR_12A / BETA_12, "divided by β: the factor between u and v is 1 - β"),
        ))),
    Exercise("9.2b", 2, "momentum_step_B(theta, u, grad, lr, beta)", Function(
        momentum_step_B, STEP_CASES, rtol=1e-10, atol=1e-12, mistakes=(
            (lambda th, u, g, lr, b: (th - lr * u, b * u + (1 - b) * g),
             "θ moved with the old u: update u first, then use the new u"),
            (lambda th, u, g, lr, b: (th - lr * (b * u + g), b * u + g),
             "that is form (A), v ← βv + g: form (B) weights the new gradient by 1 - β"),
            (lambda th, u, g, lr, b: (th + lr * (b * u + (1 - b) * g), b * u + (1 - b) * g),
             "θ moved uphill: θ ← θ - α_B u"),
            (lambda th, u, g, lr, b: (b * u + (1 - b) * g, th - lr * (b * u + (1 - b) * g)),
             "the pair is in the wrong order: return (theta, u)"),
            (lambda th, u, g, lr, b: (th - lr * ((1 - b) * u + b * g), (1 - b) * u + b * g),
             "β and 1 - β are swapped: β multiplies the old u, 1 - β the new gradient"),
        ))),
    Exercise("9.2c", 1, "the factor c with w = c·v, α = 0.05", Number(factor_12c, mistakes=(
        (-factor_12c, "the sign: (C) adds w to θ where (A) subtracts αv, so w = -αv"),
        (1 / factor_12c, "inverted: w = -αv, so c = -α, not -1/α"),
        (-(1 - BETA_12), "that is the factor between (B) and (A), -(1 - β); (C) differs from "
                         "(A) by -α"),
    ))),
    Exercise("9.3a", 1, "the size of Adam's first step for g = 1000", Number(
        step_13a, rtol=1e-6, mistakes=(
            (_plain_13a, "that is plain gradient descent's step ηg; Adam divides by √ŝ₁ = |g|"),
            (float(_uncorrected_13a), "that is the step without the bias correction: "
                                      "m₁ = (1 - β₁)g and s₁ = (1 - β₂)g² must be divided by "
                                      "1 - β₁ and 1 - β₂ first"),
            (LR_13 / G_13A, "that is η/g: the step is η m̂₁/(√ŝ₁ + ε) = ηg/(|g| + ε) ≈ η, whatever "
                            "the size of g"),
        ))),
    Exercise("9.3b", 2, "the size of Adam's first step for g = 1e-8", Number(
        step_13b, rtol=1e-6, atol=1e-15, mistakes=(
            (LR_13, "that is η, the first step when |g| ≫ ε; here |g| equals ε = 1e-8, so "
                    "ηg/(|g| + ε) is η/2"),
            (LR_13 * G_13B / np.sqrt(G_13B**2 + EPS_13), "that puts ε inside the square root, "
                                                          "√(ŝ + ε); nnlib (and the paper) "
                                                          "adds it outside: ηg/(|g| + ε)"),
            (LR_13 * G_13B, "that is plain gradient descent's step ηg; Adam divides by "
                            "√ŝ₁ + ε = |g| + ε"),
        ))),
    Exercise("9.3c", 1, "m̂₁ for g = 5, β₁ = 0.9", Number(m_hat_13c, mistakes=(
        (m1_13d, "that is m₁, before the bias correction: m̂₁ = m₁/(1 - β₁)"),
        (BETA1_13 * G_13C, "β₁ and 1 - β₁ are swapped: m₁ = β₁·0 + (1 - β₁)g"),
        (G_13C / (1 - BETA1_13), "corrected once too often: m₁ = (1 - β₁)g already, and "
                                 "m̂₁ = m₁/(1 - β₁) = g"),
    ))),
    Exercise("9.3d", 1, "m₁ for g = 5, β₁ = 0.9", Number(m1_13d, mistakes=(
        (m_hat_13c, "that is m̂₁, the corrected average (or g itself): m₁ = β₁m₀ + (1 - β₁)g "
                    "with m₀ = 0 carries the factor 1 - β₁"),
        (BETA1_13 * G_13C, "β₁ and 1 - β₁ are swapped: m₁ = β₁·0 + (1 - β₁)g"),
        ((1 - BETA1_13) ** 2 * G_13C, "one factor 1 - β₁ too many: m₁ = (1 - β₁)g"),
    ))),
    Exercise("9.4a", 3, "he_init(fan_in, fan_out, rng)", HeInitialiser()),
    Exercise("9.4b", 1, "He's variance for fan_in = 512, fan_out = 64", Number(
        var_14b, mistakes=(
            (2 / FAN_OUT_14B, "you used fan_out: He's variance is 2/fan_in"),
            (2 / (FAN_IN_14B + FAN_OUT_14B), "that is Xavier's variance 2/(fan_in + fan_out); "
                                             "He's is 2/fan_in"),
            (1 / FAN_IN_14B, "missing the factor 2 that makes up for ReLU zeroing half of "
                             "its inputs: 2/fan_in"),
            (float(np.sqrt(var_14b)), "that is the standard deviation √(2/fan_in); the "
                                      "variance is its square"),
        ))),
    Exercise("9.4c", 1, "E[ReLU(z)²] for z ~ N(0, 4)", Number(relu_sq_14c, mistakes=(
        (float(VAR_Z_14C), "that is E[z²] = Var(z): ReLU sets the negative half to 0, so "
                           "E[ReLU(z)²] is half of it"),
        (float(np.sqrt(VAR_Z_14C) / 2), "that is half the standard deviation: halve the "
                                         "variance, 4"),
        (relu_sq_14c - _relu_mean_14c ** 2, "that is Var(ReLU(z)) = E[ReLU(z)²] - E[ReLU(z)]²; "
                                            "the question asks for E[ReLU(z)²], the mean of "
                                            "the square"),
        (_relu_mean_14c, "that is E[ReLU(z)], the mean; the question asks for the mean of the "
                         "square"),
    ))),
    Exercise("9.5a", 1, "the maximum of σ'", Number(max_sigma_prime_15a, mistakes=(
        (1.0, "that is the maximum of tanh' (or of σ itself): σ' = σ(1 - σ) is at most "
              "½·½ = ¼"),
        (0.5, "that is σ(0), where σ' is largest; the value there is σ(0)(1 - σ(0))"),
        (0.0, "0 is where σ' is largest (z = 0); the question asks for the value there, "
              "σ'(0) = σ(0)(1 - σ(0))"),
    ))),
    Exercise("9.5b", 3, "grad_norms, ‖∂L/∂W_l‖ for l = 1..10", Array(
        grad_norms_15, rtol=1e-6, atol=1e-15,
        what="an array of 10 gradient norms", label=lambda i: f"layer {i[0] + 1}", mistakes=(
            (grad_norms_15[::-1], "the order is reversed: entry 0 is the first layer (the "
                                  "one next to the input), entry 9 the last"),
            (_weight_norms_15, "those are the norms of the weights W_l, not of their "
                               "gradients grads['W']"),
            (_squared_15, "those are the squared norms: take the square root (np.linalg.norm)"),
            (_with_bias_15, "those include the biases: take the norm of grads['W'] only"),
        ))),
    Exercise("9.5c", 1, "the ratio ‖∂L/∂W₁‖ / ‖∂L/∂W₁₀‖", BuildsOn("9.5b", Number(
        ratio_15c, rtol=1e-5, mistakes=(
            (1 / ratio_15c, "inverted: the first layer's norm divided by the last's"),
            (0.25 ** 9, "that is 0.25⁹, the bound that leaves out the weights; measure the "
                        "ratio from grad_norms"),
            (0.25 ** 10, "that is 0.25¹⁰, the bound that leaves out the weights; measure the "
                         "ratio from grad_norms"),
            (float(np.log10(ratio_15c)), "that is its base-10 logarithm; give the ratio "
                                         "itself"),
        )))),
]
