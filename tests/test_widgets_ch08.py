"""Chapter 8's widgets: set a control's value, check the numbers the widget shows and draws.

The kernel-free widgets compute in the reader's browser; where Node.js is installed, their
specifications run headless here and what they draw is compared with the Python functions.
"""
import json

import matplotlib

matplotlib.use("Agg")  # tests draw off-screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy import signal  # noqa: E402

from nnlib import Conv2D  # noqa: E402
from nnlib.widgets import ch08 as widgets  # noqa: E402


from vega_runner import needs_node, run_vega  # noqa: E402



@pytest.fixture(scope="module")
def digit():
    return widgets.small_digit(0)


def count_windows(n, k, p, s):
    count, start = 0, 0
    while start + k <= n + 2 * p:
        count, start = count + 1, start + s
    return count


# ------------------------------------------------------------------------- the kernel

def test_correlate_valid_matches_scipy_and_conv2d():
    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=(7, 6)), rng.normal(size=(3, 2))
    expected = signal.correlate2d(image, kernel, mode="valid")
    np.testing.assert_allclose(widgets.correlate_valid(image, kernel), expected, atol=1e-12)
    layer = Conv2D(1, 1, (3, 2))
    layer.params["K"][0, 0] = kernel
    np.testing.assert_allclose(layer.forward(image[None, None])[0, 0], expected, atol=1e-12)


def test_correlate_valid_refuses_a_kernel_larger_than_the_image():
    with pytest.raises(ValueError, match="does not fit"):
        widgets.correlate_valid(np.zeros((2, 2)), np.zeros((3, 3)))


def test_small_digit_is_the_block_average_of_the_mnist_digit(digit):
    from nnlib import load_mnist

    (images, _), _ = load_mnist(subset=1, dtype=np.float64)
    assert digit.shape == (14, 14)
    assert digit[3, 5] == pytest.approx(images[0, 0, 6:8, 10:12].mean())
    assert 0 <= digit.min() and digit.max() <= 1


def test_kernel_is_the_preset_plus_the_readers_changes():
    entries = np.arange(9.0) / 10
    kernel = widgets.kernel_of("sharpen", entries)
    np.testing.assert_allclose(kernel, widgets.KERNELS["sharpen"] + entries.reshape(3, 3))
    np.testing.assert_allclose(widgets.kernel_of("your own (all 0)", entries), entries.reshape(3, 3))
    assert widgets.KERNELS["blur"].sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="unknown kernel"):
        widgets.kernel_of("emboss")


@pytest.mark.parametrize("row, col", [(0, 0), (4, 7), (11, 11)])
def test_output_pixel_is_the_sum_of_the_nine_products(digit, row, col):
    kernel = widgets.KERNELS["vertical edge"]
    data = widgets.kernel_slide_data(digit, kernel, row, col)
    np.testing.assert_array_equal(data["patch"], digit[row:row + 3, col:col + 3])
    np.testing.assert_allclose(data["products"], kernel * digit[row:row + 3, col:col + 3])
    assert data["value"] == pytest.approx(signal.correlate2d(digit, kernel, "valid")[row, col])
    assert data["written"].sum() == row * 12 + col + 1          # reading order, up to here
    assert data["written"][row, col] and f"output[{row}, {col}]" in data["caption"]


def test_a_position_outside_the_output_is_refused(digit):
    with pytest.raises(ValueError, match="outside"):
        widgets.kernel_slide_data(digit, widgets.KERNELS["blur"], 12, 0)


def test_identity_kernel_copies_the_image_and_blur_averages(digit):
    same = widgets.kernel_slide_data(digit, widgets.KERNELS["identity"], 0, 0)["feature_map"]
    np.testing.assert_allclose(same, digit[1:-1, 1:-1])
    blur = widgets.kernel_slide_data(digit, widgets.KERNELS["blur"], 0, 0)["feature_map"]
    assert blur[5, 5] == pytest.approx(digit[5:8, 5:8].mean())


def test_live_kernel_widget_follows_its_controls(digit):
    w = widgets.kernel_slide_widget(digit)
    assert list(w.controls) == ["row", "col", "preset", *widgets.ENTRY_NAMES]
    w.controls["row"].value, w.controls["col"].value = 3, 6
    w.controls["preset"].value = "blur"
    w.controls["k11"].value = 1.0
    kernel = widgets.KERNELS["blur"].copy()
    kernel[1, 1] += 1.0
    np.testing.assert_allclose(w.data["kernel"], kernel)
    assert w.data["value"] == pytest.approx(np.sum(kernel * digit[3:6, 6:9]))
    assert "output[3, 6]" in w.caption.value


def test_draw_kernel_slide_shows_only_the_pixels_written_so_far(digit):
    fig = Figure()
    widgets.draw_kernel_slide(fig, digit, 2, 3, "horizontal edge")
    feature_axes = fig.axes[1]
    shown = feature_axes.get_images()[0].get_array()
    assert np.isfinite(shown[2, 3]) and not np.isfinite(shown[2, 4]) and not np.isfinite(shown[3, 0])
    assert len(fig.axes[2].texts) == 9


def test_kernel_vega_has_every_control_and_the_right_data(digit):
    w = widgets.kernel_slide_vega(digit)
    assert w.controls == ["row", "col", "preset", *widgets.ENTRY_NAMES]
    windows = w.spec["datasets"]["windows"]
    assert len(windows) == 12 * 12 * 9
    for row in (windows[0], windows[777], windows[-1]):
        assert row["x"] == pytest.approx(digit[row["i"] + row["u"], row["j"] + row["v"]], abs=1e-4)
    text = json.dumps(w.spec)
    presets = "[" + ",".join(widgets._vega_array(widgets.KERNELS[p]) for p in widgets.PRESETS) + "]"
    assert presets in text                            # the page's presets, in the menu's order
    menu = next(p for p in w.spec["params"] if p["name"] == "preset")
    assert menu["bind"]["labels"] == widgets.PRESETS and menu["value"] == 0
    assert len(w._json) < 200_000


# ------------------------------------------------------------------------ output size

@pytest.mark.parametrize("n", range(1, 13))
def test_output_size_counts_the_windows(n):
    for k in range(1, 8):
        for p in range(4):
            for s in range(1, 5):
                assert widgets.output_size(n, k, p, s) == count_windows(n, k, p, s)


@pytest.mark.parametrize("n, k, p, s, expected", [(28, 3, 0, 1, 26), (28, 3, 1, 1, 28),
                                                  (28, 5, 2, 1, 28), (28, 3, 1, 2, 14),
                                                  (32, 3, 1, 2, 16), (5, 3, 2, 1, 7)])
def test_output_size_formula_and_conv2d_agree(n, k, p, s, expected):
    assert widgets.output_size(n, k, p, s) == expected
    if s == 1:
        assert Conv2D(1, 1, k, padding=p).forward(np.zeros((1, 1, n, n))).shape[-1] == expected


def test_output_size_refuses_impossible_settings():
    with pytest.raises(ValueError):
        widgets.output_size(5, 3, 0, 0)


def test_report_flags_invalid_settings_and_unseen_pixels():
    invalid = widgets.output_size_report(3, 7, 1, 1)
    assert invalid["size"] == 0 and invalid["starts"] == [] and "invalid" in invalid["problem"]
    uneven = widgets.output_size_report(8, 3, 0, 2)
    assert uneven["size"] == 3 and uneven["starts"] == [0, 2, 4] and uneven["unused"] == [7]
    assert "never seen" in uneven["problem"]
    gaps = widgets.output_size_report(9, 2, 1, 3)
    assert gaps["starts"] == [0, 3, 6, 9] and gaps["unused"] == [1, 4, 7]
    assert "between the windows" in gaps["problem"]
    fine = widgets.output_size_report(7, 3, 1, 2)
    assert fine["problem"] == "" and fine["unused"] == [] and fine["size"] == 4


def test_live_output_size_widget_follows_its_controls():
    w = widgets.output_size_widget()
    assert w.data["size"] == 5
    w.controls["p"].value = 1
    assert w.data["size"] == 7
    w.controls["s"].value = 2
    assert w.data["size"] == 4 and w.data["starts"] == [0, 2, 4, 6]
    w.controls["n"].value, w.controls["k"].value, w.controls["p"].value = 3, 7, 0
    assert w.data["size"] == 0 and "invalid" in w.caption.value


def test_output_size_vega_has_four_controls_and_the_formula():
    w = widgets.output_size_vega(n=7, k=3, p=0, s=1)
    assert w.controls == ["n", "k", "p", "s"]
    text = json.dumps(w.spec)
    assert "floor((n + 2 * p - k) / s) + 1" in text and "n + 2 * p >= k" in text
    values = {p["name"]: p["value"] for p in w.spec["params"]}
    assert values == {"n": 7, "k": 3, "p": 0, "s": 1}


@needs_node
def test_kernel_vega_computes_the_feature_map_python_computes(digit):
    values = {"row": 4, "col": 7, "preset": widgets.PRESETS.index("blur"), "k11": 1.0,
              "k02": -0.5}
    shown = run_vega(widgets.kernel_slide_vega(digit), values, "written")
    kernel = widgets.kernel_of("blur", [0, 0, -0.5, 0, 1.0, 0, 0, 0, 0])
    data = widgets.kernel_slide_data(digit, kernel, 4, 7)
    drawn = {(r["i"], r["j"]): r["y"] for r in shown["rows"]}
    assert set(drawn) == {(i, j) for i in range(12) for j in range(12) if data["written"][i, j]}
    for (i, j), y in drawn.items():
        assert y == pytest.approx(data["feature_map"][i, j], abs=1e-3)
    assert f"output[4, 7] = sum = {data['value']:.3f}" in shown["texts"]


@needs_node
@pytest.mark.parametrize("n, k, p, s", [(7, 3, 0, 1), (8, 3, 0, 2), (3, 7, 1, 1), (16, 7, 3, 4),
                                        (9, 2, 1, 3)])
def test_output_size_vega_agrees_with_the_report(n, k, p, s):
    shown = run_vega(widgets.output_size_vega(), {"n": n, "k": k, "p": p, "s": s}, "kind")
    report = widgets.output_size_report(n, k, p, s)
    cells = {r["i"]: r["kind"] for r in shown["rows"]}
    assert len(cells) == n + 2 * p
    if report["size"]:
        assert sorted(i - p for i, kind in cells.items() if kind == "never seen") == report["unused"]
        assert any(t.endswith(f"+ 1 = {report['size']}") for t in shown["texts"])
        between = any("between windows" in t for t in shown["texts"])
        after = any("does not divide" in t for t in shown["texts"])
        assert between == ("between" in report["problem"])
        assert after == ("does not divide" in report["problem"])
    else:
        assert any(t.startswith("invalid") for t in shown["texts"])
