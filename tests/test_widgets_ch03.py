"""Chapter 3's widgets and figures: set a control's value, check the numbers they show and draw.

The kernel-free widgets are also run by Vega itself (with node and the vendored scripts, when
node is installed): moving a control must select the data that Python computed.
"""
import json
import math
import shutil
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # tests draw off-screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from nnlib.widgets import ch03 as widgets  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- the maths behind them

@pytest.mark.parametrize("a, lr", [(2.0, 0.3), (2.0, 0.8), (4.0, 0.6), (1.0, 2.0)])
def test_gradient_descent_on_a_parabola_multiplies_the_error_by_1_minus_eta_a(a, lr):
    path = widgets.gradient_descent(lambda t: a * t, [1.5], lr, 10)[:, 0]
    np.testing.assert_allclose(path, 1.5 * (1 - lr * a) ** np.arange(11), rtol=1e-12)


def test_gradient_descent_leaves_theta0_alone_and_includes_it():
    theta0 = np.array([1.0, -2.0])
    path = widgets.gradient_descent(lambda t: 2 * t, theta0, 0.1, 3)
    assert path.shape == (4, 2) and np.array_equal(path[0], [1.0, -2.0])
    assert np.array_equal(theta0, [1.0, -2.0])


@pytest.mark.parametrize("lr, name", [(0.1, "monotone"), (0.25, "one step"),
                                      (0.4, "oscillating"), (0.5, "two-cycle"),
                                      (0.6, "diverges")])
def test_regime_of_each_learning_rate(lr, name):
    assert widgets.regime(4.0, lr) == name


def test_valley_matrix_has_the_eigenvalues_it_promises():
    for kappa in widgets.KAPPAS:
        A = widgets.valley_matrix(kappa)
        assert np.allclose(A, A.T)
        assert np.allclose(np.linalg.eigvalsh(A), sorted([1 / kappa, 1.0]))


def test_contraction_factor_is_the_measured_rate_of_a_long_run():
    A = widgets.valley_matrix(10)
    lam = np.linalg.eigvalsh(A)
    for lr in (0.5, 1.0, 1.5, widgets.best_rate(lam), 1.95):
        path = widgets.gradient_descent(lambda t: A @ t, widgets.THETA0, lr, 300)
        norms = np.linalg.norm(path, axis=1)
        assert norms[-1] / norms[-2] == pytest.approx(widgets.contraction_factor(lam, lr),
                                                      rel=1e-6)


def test_best_rate_balances_both_ends_and_gives_kappa_minus_one_over_kappa_plus_one():
    for kappa in (1, 3, 10, 30):
        lam = [1 / kappa, 1.0]
        best = widgets.best_rate(lam)
        assert best == pytest.approx(2 / (1 + 1 / kappa))
        assert widgets.contraction_factor(lam, best) == pytest.approx((kappa - 1) / (kappa + 1))
        # any other rate is worse
        others = best * np.array([0.9, 0.99, 1.01, 1.1])
        assert np.all(widgets.contraction_factor(lam, others) > (kappa - 1) / (kappa + 1))


def test_contour_lines_lie_on_their_level():
    A = widgets.valley_matrix(10)
    for level, ring in zip([0.1, 1.0], widgets.contour_lines(A, [0.1, 1.0])):
        np.testing.assert_allclose(widgets.quadratic_loss(A, ring), level, rtol=1e-12)


# ---------------------------------------------------------------- the descent explorer

@pytest.mark.parametrize("eta, state", [(1.0, "converges"), (2.0, "two-cycle"),
                                        (2.2, "diverges")])
def test_explorer_data_for_a_position_of_the_controls(eta, state):
    data = widgets.explorer_data(eta, 30, 10)
    assert data["regime"] == state
    assert data["threshold"] == pytest.approx(2.0)
    assert data["best_rate"] == pytest.approx(2 / 1.1)
    assert data["path"].shape == (31, 2) and data["loss"].shape == (31,)
    np.testing.assert_allclose(data["loss"], widgets.quadratic_loss(data["A"], data["path"]))
    assert f"η = {eta:.2f}" in data["caption"] and state in data["caption"]


def test_live_explorer_redraws_when_each_control_moves():
    w = widgets.explorer_widget(eta=1.0, steps=20, kappa=10)
    assert w.data["path"].shape == (21, 2)
    image = w.image.value
    w.controls["steps"].value = 5
    assert w.data["path"].shape == (6, 2) and w.image.value != image
    w.controls["eta"].value = 2.2
    assert w.data["regime"] == "diverges"
    w.controls["kappa"].value = 1
    w.controls["eta"].value = 1.0
    assert np.allclose(w.data["path"][1], 0, atol=1e-15)       # a round bowl: one step
    assert "κ = 1" in w.caption.value


def test_draw_explorer_draws_the_path_it_reports():
    fig = Figure()
    data = widgets.draw_explorer(fig, eta=1.5, steps=12, kappa=3)
    top, middle, bottom = fig.axes
    [path_line] = [line for line in top.get_lines() if line.get_gid() == "path"]
    np.testing.assert_allclose(np.column_stack(path_line.get_data()), data["path"])
    [limit] = [line for line in bottom.get_lines() if line.get_gid() == "threshold"]
    assert limit.get_xdata()[0] == pytest.approx(2.0)


def test_explorer_vega_has_every_control_and_fits_the_page():
    w = widgets.explorer_vega()
    assert w.controls == ["eta", "steps", "kappa"]
    assert len(w._json) < 1_000_000
    paths = w.spec["datasets"]["paths"]
    assert len(paths) == len(widgets.ETAS) * len(widgets.KAPPAS)
    row = next(r for r in paths if r["eta"] == 1.9 and r["kappa"] == 10)
    data = widgets.explorer_data(1.9, widgets.MAX_STEPS, 10)
    np.testing.assert_allclose(row["t1"], data["path"][:, 0], rtol=1e-3, atol=1e-12)


# ---------------------------------------------------------------- the batch explorer

def test_minibatch_descent_counts_steps_and_epochs():
    x, y = widgets.regression_set()
    path, epochs = widgets.minibatch_descent(x, y, (0.0, 0.0), 0.1, 64, 48)
    assert path.shape == (49, 2)
    assert epochs[16] == 1 and epochs[48] == 3            # ⌈1000/64⌉ = 16 steps per epoch
    assert epochs[15] == pytest.approx(960 / 1000)        # before the last, smaller batch


def test_full_batch_minibatch_descent_is_plain_gradient_descent():
    x, y = widgets.regression_set()
    mini, _ = widgets.minibatch_descent(x, y, (-1.0, 2.0), 0.1, len(x), 30, rng=4)
    plain = widgets.gradient_descent(lambda t: widgets.mse_grad(t, x, y), (-1.0, 2.0), 0.1, 30)
    np.testing.assert_allclose(mini, plain, rtol=1e-12, atol=1e-14)


def test_mse_grad_matches_central_differences():
    x, y = widgets.regression_set(20, rng=3)
    theta = np.array([0.3, -0.7])
    h = 1e-6
    numeric = [(widgets.mse_loss(theta + e, x, y) - widgets.mse_loss(theta - e, x, y)) / (2 * h)
               for e in h * np.eye(2)]
    np.testing.assert_allclose(widgets.mse_grad(theta, x, y), numeric, rtol=1e-7)


def test_batch_data_counters_and_noise():
    small, full = widgets.batch_data(1, 100), widgets.batch_data(1000, 100)
    assert small["epochs"][-1] == pytest.approx(0.1) and full["epochs"][-1] == 100
    assert small["per_epoch"] == 1000 and full["per_epoch"] == 1
    assert "100 steps = 0.1 epochs" in small["caption"]
    assert np.median(small["excess"][50:]) > 100 * np.median(full["excess"][50:])


def test_live_batch_explorer_redraws_when_each_control_moves():
    w = widgets.batch_widget(batch_size=16, steps=50)
    assert w.data["per_epoch"] == 63
    w.controls["batch_size"].value = 64
    assert w.data["per_epoch"] == 16
    w.controls["steps"].value = 32
    assert w.data["epochs"][-1] == 2 and "32 steps = 2 epochs" in w.caption.value


def test_batch_vega_has_every_control():
    w = widgets.batch_vega()
    assert w.controls == ["batch", "steps"]
    runs = w.spec["datasets"]["runs"]
    assert [r["n"] for r in runs] == list(widgets.BATCH_SIZES)


# ---------------------------------------------------------------- Vega itself moves them

VEGA = ROOT / "_assets" / "vendor" / "vega"
RUN_VEGA = """
const vega = require('vega'); global.vega = vega;
const vl = require('vega-lite');
const spec = JSON.parse(require('fs').readFileSync(process.argv[2]));
const signals = JSON.parse(process.argv[3]);
(async () => {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), {renderer: 'none'});
  for (const [name, value] of Object.entries(signals)) view.signal(name, value);
  await view.runAsync();
  const svg = await view.toSVG();
  const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\\/text>/g)].map(m => m[1]);
  const data = {};
  for (const d of vl.compile(spec).spec.data) { try { data[d.name] = view.data(d.name); } catch (e) {} }
  console.log(JSON.stringify({texts, data}));
})().catch(e => { console.error(e); process.exit(1); });
"""


@pytest.fixture(scope="module")
def run_vega(tmp_path_factory):
    node = shutil.which("node")
    if node is None or not (VEGA / "vega.min.js").is_file():
        pytest.skip("needs node and the vendored Vega scripts")
    folder = tmp_path_factory.mktemp("vega")
    for package, script in (("vega", "vega.min.js"), ("vega-lite", "vega-lite.min.js")):
        (folder / "node_modules" / package).mkdir(parents=True)
        shutil.copy(VEGA / script, folder / "node_modules" / package / "index.js")
    (folder / "run.js").write_text(RUN_VEGA)

    def run(widget, **signals):
        spec = folder / "spec.json"
        spec.write_text(json.dumps(widget.spec))
        out = subprocess.run([node, str(folder / "run.js"), str(spec), json.dumps(signals)],
                             capture_output=True, text=True, timeout=120, cwd=folder)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)
    return run


def shown_path(result, first, second):
    """The drawn path: the data set holding both coordinates, with the most rows."""
    rows = max((d for d in result["data"].values() if d and first in d[0] and second in d[0]
                and isinstance(d[0].get("k"), (int, float))), key=len)  # flattened: one row a step
    return sorted(rows, key=lambda r: r["k"])


@pytest.mark.parametrize("eta, steps, kappa", [(1.9, 7, 10), (0.5, 30, 3), (2.2, 50, 30)])
def test_vega_explorer_shows_the_python_path_for_each_position(run_vega, eta, steps, kappa):
    result = run_vega(widgets.explorer_vega(), eta=eta, steps=steps, kappa=kappa)
    rows = shown_path(result, "t1", "t2")
    data = widgets.explorer_data(eta, steps, kappa)
    assert len(rows) == steps + 1
    np.testing.assert_allclose([[r["t1"], r["t2"]] for r in rows], data["path"], rtol=1e-3,
                               atol=1e-12)
    loss = max(data["loss"][-1], widgets.LOSS_FLOOR)
    assert f"step {steps}:  L = " in " ".join(result["texts"])
    shown = next(t for t in result["texts"] if t.startswith(f"step {steps}:"))
    assert float(shown.split("=")[1]) == pytest.approx(loss, rel=1e-2)


@pytest.mark.parametrize("batch, steps", [(1, 100), (64, 40), (1000, 10)])
def test_vega_batch_explorer_counts_steps_and_epochs(run_vega, batch, steps):
    result = run_vega(widgets.batch_vega(), batch=batch, steps=steps)
    rows = shown_path(result, "w", "b")
    data = widgets.batch_data(batch, steps)
    np.testing.assert_allclose([[r["w"], r["b"]] for r in rows], data["path"], rtol=1e-3,
                               atol=1e-12)
    counter = next(t for t in result["texts"] if "epochs" in t)
    per_epoch = math.ceil(1000 / batch)
    assert counter.startswith(f"{steps} steps = ")
    assert f"({per_epoch} steps per epoch)" in counter
    assert float(counter.split("=")[1].split()[0]) == pytest.approx(data["epochs"][-1], rel=1e-3)


def test_import_nnlib_widgets_ch03_opens_no_pyplot_figures():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    widgets.explorer_widget()
    widgets.batch_widget()
    assert plt.get_fignums() == before


# ---------------------------------------------------------------- the answer key and the notebook

def test_answer_key_numbers_are_the_ones_the_exercises_state():
    from answer_keys import ch03 as table

    table.test_answer_key_numbers_are_the_ones_the_notebook_states()
    table.test_the_ten_points_in_the_notebook_are_the_answer_keys()
