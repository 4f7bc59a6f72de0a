"""nnlib.plot: the helpers draw the data they are given, and the frame slider works offline."""
import io
import json
import re
import shutil

import matplotlib

matplotlib.use("Agg")  # tests draw off-screen

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from nnlib import History, plot  # noqa: E402
from nnlib.widgets import ch01, frames_slider  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def by_gid(ax, gid):
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def slope_of(line, log=False):
    xs, ys = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    if log:
        xs, ys = np.log10(xs), np.log10(ys)
    return (ys[-1] - ys[0]) / (xs[-1] - xs[0])


def counting_figure():
    """A figure whose update draws the number it is given, so every frame differs."""
    fig = Figure(figsize=(2, 1.5))
    ax = fig.add_subplot()

    def update(k):
        ax.clear()
        ax.plot([0, 1], [0, k])
        return f"frame {k}"

    return fig, update


def test_frames_slider_has_one_range_input_driving_one_img_with_every_frame():
    fig, update = counting_figure()
    page = frames_slider(fig, update, range(5), label="k", start=2).data
    assert page.count('<input type="range"') == 1 and page.count("<img") == 1
    assert 'min="0" max="4"' in page and 'value="2"' in page
    frames = json.loads(re.search(r"var frames = (\[.*?\]);", page).group(1))
    captions = json.loads(re.search(r"var captions = (\[.*?\]);", page).group(1))
    assert len(frames) == 5 and len(set(frames)) == 5
    assert captions == [f"frame {k}" for k in range(5)]
    # The picture shown before any script runs is the start frame.
    assert f'src="data:image/png;base64,{frames[2]}"' in page
    assert "frame 2</div>" in page


def test_frames_slider_uses_no_external_resources():
    fig, update = counting_figure()
    page = frames_slider(fig, update, range(2)).data
    assert "http" not in page and "<link" not in page


def test_two_sliders_on_one_page_get_different_ids():
    fig, update = counting_figure()
    first = frames_slider(fig, update, range(2)).data
    second = frames_slider(fig, update, range(2)).data
    ids = [re.search(r'id="(nnd-slider-[^"]+)"', p).group(1) for p in (first, second)]
    assert ids[0] != ids[1]


def test_frames_slider_refuses_a_page_heavier_than_max_bytes():
    fig, update = counting_figure()
    with pytest.raises(ValueError, match="max_bytes"):
        frames_slider(fig, update, range(3), max_bytes=1000)


def test_palette_png_is_smaller_and_keeps_the_picture_size():
    fig, ax = plot.new_axes()
    xs = np.linspace(-3, 3, 200)
    ax.plot(xs, np.sin(xs)), ax.plot(xs, np.cos(xs))
    full, palette = plot.png_bytes(fig, colors=None), plot.png_bytes(fig, colors=64)
    assert len(palette) < len(full) / 2
    assert Image.open(io.BytesIO(palette)).size == Image.open(io.BytesIO(full)).size


def test_plot_secants_draws_each_secant_with_its_slope_and_the_tangent():
    hs = [1.5, 0.5, 0.1]
    ax = ch01.plot_secants(np.exp, 0.0, hs, f_prime=np.exp, domain=(-1, 2))
    secants = by_gid(ax, "secant")
    assert [slope_of(s) for s in secants] == pytest.approx([(np.exp(h) - 1) / h for h in hs])
    (tangent,) = by_gid(ax, "tangent")
    assert slope_of(tangent) == pytest.approx(1.0)


def test_plot_function_and_derivative_draws_both_curves_and_the_point():
    top, bottom = ch01.plot_function_and_derivative(np.sin, np.cos, (-3, 3), x0=1.0)
    (f_line,), (d_line,) = by_gid(top, "f"), by_gid(bottom, "derivative")
    np.testing.assert_allclose(f_line.get_ydata(), np.sin(f_line.get_xdata()))
    np.testing.assert_allclose(d_line.get_ydata(), np.cos(d_line.get_xdata()))
    (tangent,) = by_gid(top, "tangent")
    assert slope_of(tangent) == pytest.approx(np.cos(1.0))
    assert by_gid(bottom, "point")[0].get_ydata()[0] == pytest.approx(np.cos(1.0))


def test_error_vs_h_guides_have_the_requested_slopes():
    h = np.logspace(-8, -1, 30)
    errors = {"forward": 0.4 * h + 1e-16 / h, "central": 0.2 * h**2 + 1e-16 / h}
    ax = ch01.error_vs_h(h, errors, orders={"forward": 1, "central": 2}, roundoff_scale=1.0)
    guides = {line.get_label(): line for line in ax.get_lines() if "guide" in line.get_label()}
    assert slope_of(guides["slope 1 guide"], log=True) == pytest.approx(1.0)
    assert slope_of(guides["slope 2 guide"], log=True) == pytest.approx(2.0)
    roundoff = [line for line in ax.get_lines() if "round-off" in line.get_label()][0]
    assert slope_of(roundoff, log=True) == pytest.approx(-1.0)
    # The circled best step is where each error curve is lowest, and the legend names it.
    for name, err in errors.items():
        best = np.argmin(err)
        (circle,) = by_gid(ax, f"{name} best")
        assert (circle.get_xdata()[0], circle.get_ydata()[0]) == (h[best], err[best])
        assert by_gid(ax, name)[0].get_label() == f"{name} (best h ≈ {h[best]:.0e})"


def test_loss_curve_places_steps_within_epochs_and_adds_accuracy_panel():
    history = History(loss=[1.0, 0.5, 0.25], accuracy=[0.5, 0.7, 0.9],
                      val_loss=[1.1, 0.6, 0.4], val_accuracy=[0.4, 0.6, 0.8],
                      batch_loss=list(np.linspace(1.2, 0.2, 12)))
    axes = plot.loss_curve(history)
    assert len(axes) == 2
    np.testing.assert_allclose(by_gid(axes[0], "loss")[0].get_ydata(), history.loss)
    np.testing.assert_allclose(by_gid(axes[0], "val_loss")[0].get_ydata(), history.val_loss)
    steps = by_gid(axes[0], "batch_loss")[0].get_xdata()
    assert steps[3] == pytest.approx(1.0) and steps[-1] == pytest.approx(3.0)  # 4 steps per epoch
    np.testing.assert_allclose(by_gid(axes[1], "val_accuracy")[0].get_ydata(), history.val_accuracy)


def test_loss_curve_of_a_regression_history_has_one_panel():
    axes = plot.loss_curve({"loss": [3.0, 2.0], "accuracy": [None, None]})
    assert len(axes) == 1


def test_loss_curve_refuses_an_empty_history():
    with pytest.raises(ValueError, match="no per-epoch 'loss'"):
        plot.loss_curve(History())


def test_image_grid_titles_label_and_prediction_and_marks_mistakes():
    images = np.random.default_rng(0).random((3, 784))
    labels = np.eye(10)[[3, 1, 4]]  # one-hot rows
    fig = plot.image_grid(images, labels, predictions=[3, 7, 4], ncols=3)
    titled = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in titled] == ["3 → 3", "1 → 7", "4 → 4"]
    assert titled[1].title.get_color() == plot.COLORS["derivative"]
    assert titled[0].title.get_color() == "black"
    assert titled[0].images[0].get_array().shape == (28, 28)


def test_image_grid_refuses_rows_that_are_not_square_images():
    with pytest.raises(ValueError, match="square"):
        plot.image_grid(np.zeros((2, 10)))


def test_decision_boundary_colours_each_side_of_a_linear_rule():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (50, 2))
    y = (X[:, 0] > 0).astype(float)[:, None]

    def predict(points):  # probability of class 1 rises across x1 = 0
        return 1 / (1 + np.exp(-10 * points[:, :1]))

    ax = plot.decision_boundary(predict, X, y, resolution=101, margin=0.5)
    contour = next(c for c in ax.collections if hasattr(c, "levels"))
    class_zero_region, class_one_region = (p.vertices for p in contour.get_paths()[:2])
    spacing = (X[:, 0].max() - X[:, 0].min() + 1.0) / 100  # the grid step
    # The drawn boundary is the rule's x1 = 0, to within one grid step.
    assert abs(class_one_region[:, 0].min()) <= spacing
    assert abs(class_zero_region[:, 0].max()) <= spacing
    scatter = next(c for c in ax.collections if not hasattr(c, "levels"))
    np.testing.assert_allclose(scatter.get_offsets(), X)
    np.testing.assert_array_equal(scatter.get_array(), y[:, 0])


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install chromium)")
def test_frames_slider_in_a_browser_moves_play_and_captions(tmp_path):
    from playwright.sync_api import sync_playwright

    fig, update = counting_figure()
    page_html = frames_slider(fig, update, range(4), label="k", interval_ms=50).data
    frames = json.loads(re.search(r"var frames = (\[.*?\]);", page_html).group(1))
    path = tmp_path / "slider.html"
    path.write_text(f"<!doctype html><meta charset='utf-8'><body>{page_html}</body>")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.as_uri())
            img, slider = page.locator(".nnd-slider img"), page.locator("input[type=range]")
            caption = page.locator(".nnd-slider-caption")

            def shown():
                return img.get_attribute("src").split(",", 1)[1], caption.inner_text()

            assert shown() == (frames[0], "frame 0")
            slider.fill("2")
            assert shown() == (frames[2], "frame 2")
            slider.press("ArrowLeft")
            assert shown() == (frames[1], "frame 1")
            page.locator(".nnd-slider button").click()  # play runs to the last frame and stops
            page.wait_for_function("document.querySelector('.nnd-slider-caption').textContent"
                                   " === 'frame 3'", timeout=5000)
            assert shown() == (frames[3], "frame 3")
            assert page.locator(".nnd-slider button").get_attribute("aria-label") == "Play"
            assert errors == []
        finally:
            browser.close()
