"""Browser tests of the built website, as a reader with no network would use it.

Run after `make book` (`make test-site`).  The test serves _build/html itself on
127.0.0.1 (a free port, a thread running http.server), drives Debian's Chromium
with Playwright, and aborts every request that is not for that server, so a page
that needs a CDN or any other outside address fails here.  Screenshots of the
pages go to _build/screenshots/.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

pytestmark = pytest.mark.site

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from offline_assets import CDN_HOSTS, MATHJAX_HUB_SHIM  # noqa: E402  (the build's own lists)

sys.path.pop(0)

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "_build" / "html"
SCREENSHOTS = REPO / "_build" / "screenshots"
# make test-site finds it (tools/find_chromium.sh); run alone, the test looks on PATH.
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {"desktop": 1280, "phone": 420}


def _toc_pages() -> list[str]:
    """Every page of the book, in the order of _toc.yml: a new chapter is tested by itself."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        for entry in part.get("chapters", []):
            pages.append(entry["file"])
            pages += [sub["file"] for sub in entry.get("sections", [])]
    return [page + ".html" for page in pages]


PAGES = _toc_pages()
CHAPTERS = [page for page in PAGES if page.startswith("chapters/")]
EXERCISES = [page for page in PAGES if page.startswith("exercises/")]
# A page made by the test itself, from ipywidgets' own embed data (see test_widget_manager...).
WIDGET_TEST_PAGE = "/__site_test__/widgets.html"


# ----------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def site() -> Path:
    """The built site; missing pages fail the test (a site without chapter 1 is broken)."""
    missing = [path for path in ["index.html", *PAGES] if not (SITE / path).is_file()]
    if missing:
        pytest.fail(f"the built site lacks {', '.join(missing)} in {SITE}: run `make book` first")
    return SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site, plus the one test page that is held in memory."""

    extra_pages: dict[str, bytes] = {}

    def do_GET(self):
        body = self.extra_pages.get(urlsplit(self.path).path)
        if body is None:
            return super().do_GET()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep pytest's output readable
        pass


@pytest.fixture(scope="module")
def base_url(site):
    """http://127.0.0.1:PORT/ serving _build/html from a thread, on a free port."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(base_url, tmp_path_factory):
    """Headless Chromium with a fresh profile; every request not for base_url is aborted."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run tools/find_chromium.sh, or install Chromium "
                    f"(apt-get install -y chromium) and set CHROMIUM=/path/to/it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM,
            headless=True, args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900})
        context.blocked = []

        def offline_only(route):
            if route.request.url.startswith(base_url) or route.request.url.startswith("data:"):
                route.continue_()
            else:
                context.blocked.append(route.request.url)
                route.abort()

        context.route("**/*", offline_only)
        yield context
        context.close()


class Visit:
    """One page opened in the browser, with everything that went wrong while loading it."""

    def __init__(self, browser, url: str, width: int = WIDTHS["desktop"]):
        self.browser, self.url = browser, url
        self.page = browser.new_page()
        self.page.set_default_timeout(90_000)   # a loaded 2-core machine is slow to lay out
        self.page.set_viewport_size({"width": width, "height": 900})
        self.responses, self.failed, self.errors = [], [], []
        self.page.on("response", lambda r: self.responses.append((r.status, r.url)))
        self.page.on("requestfailed", lambda r: self.failed.append((r.url, r.failure)))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        blocked_before = len(browser.blocked)
        self.page.goto(url, wait_until="load")
        # MathJax typesets after load; wait for it where the page has it.
        self.page.wait_for_function("!window.MathJax || !MathJax.startup || !!MathJax.startup.promise")
        self.page.evaluate("window.MathJax && MathJax.startup ? MathJax.startup.promise.then(() => 1) : 1")
        # Every kernel-free chart has drawn (or said in words why it could not).
        self.page.wait_for_function(
            "[...document.querySelectorAll('.nnd-vega')].every(el => el.querySelector('svg')"
            " || el.textContent.trim())")
        try:  # the last requests settle; a busy machine may never give 500 ms of silence
            self.page.wait_for_load_state("networkidle", timeout=15_000)
        except Exception:  # noqa: BLE001 - failed requests are still recorded and asserted
            pass
        self.blocked = browser.blocked[blocked_before:]

    def assert_worked_offline(self):
        bad = [(status, url) for status, url in self.responses if status >= 400]
        assert not self.blocked, f"{self.url} asked for outside addresses: {self.blocked}"
        assert not self.failed, f"{self.url}: requests failed: {self.failed}"
        assert not bad, f"{self.url}: HTTP errors: {bad}"
        assert not self.errors, f"{self.url}: JavaScript errors: {self.errors}"

    def loaded(self, path_part: str) -> list[int]:
        """HTTP statuses of the responses whose URL contains ``path_part``."""
        return [status for status, url in self.responses if path_part in url]

    def screenshot(self, name: str, full_page: bool = False):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)

    def close(self):
        self.page.close()


@pytest.fixture
def visit(browser, base_url):
    """visit('chapters/01-derivatives.html') -> a fresh Visit, closed after the test.
    For tests that click, scroll or type."""
    opened = []

    def open_page(path: str, width: int = WIDTHS["desktop"]) -> Visit:
        opened.append(Visit(browser, base_url + path.lstrip("/"), width))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


@pytest.fixture(scope="module")
def seen(browser, base_url):
    """seen('intro.html', width) -> a Visit opened once per module and width and shared, for
    tests that only look (loading each page once keeps the suite fast)."""
    opened: dict[tuple[str, int], Visit] = {}

    def open_page(path: str, width: int = WIDTHS["desktop"]) -> Visit:
        if (path, width) not in opened:
            opened[path, width] = Visit(browser, base_url + path.lstrip("/"), width)
        return opened[path, width]

    yield open_page
    for page in opened.values():
        page.close()


def _repository() -> tuple[str, str]:
    """The repository URL and branch, as _config.yml states them (once, for every button)."""
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"].rstrip("/"), config["repository"]["branch"]


# JavaScript: the text a reader sees in the article, without code, scripts or typeset maths.
PROSE_TEXT = """() => {
  const article = document.querySelector("article") || document.querySelector("main");
  const copy = article.cloneNode(true);
  copy.querySelectorAll("pre, code, script, style, mjx-container, .cell_input").forEach(e => e.remove());
  return copy.textContent;
}"""


# ----------------------------------------------------------------------------- tests

def test_no_built_page_references_a_cdn(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= len(PAGES), f"only {len(pages)} pages in {site}"
    offenders = {page.relative_to(site).as_posix(): [host for host in CDN_HOSTS if host in text]
                 for page in pages for text in [page.read_text(encoding="utf-8", errors="replace")]}
    offenders = {page: hosts for page, hosts in offenders.items() if hosts}
    assert not offenders, f"pages that reference a CDN: {offenders}"


def test_pages_load_no_resource_from_another_host(site):
    """No script, stylesheet, image or frame of any page has an absolute http(s) address."""
    tags = re.compile(r"<(script|img|iframe|source|link)\b[^>]*>", re.I)
    external = re.compile(r'\b(src|href)\s*=\s*["\']?(https?:)?//', re.I)
    # <link rel="canonical"> and the like are addresses, not resources the page loads.
    loaded_link = re.compile(r'\brel\s*=\s*["\']?(stylesheet|preload|modulepreload|icon)', re.I)
    offenders = {}
    for page in sorted(site.rglob("*.html")):
        for tag in tags.finditer(page.read_text(encoding="utf-8", errors="replace")):
            text = tag.group(0)
            if not external.search(text):
                continue
            if tag.group(1).lower() == "link" and not loaded_link.search(text):
                continue
            offenders.setdefault(page.relative_to(site).as_posix(), []).append(text[:160])
    assert not offenders, f"resources loaded from other hosts: {offenders}"


def _shot_name(path: str, width: int) -> str:
    return path.replace("/", "-").removesuffix(".html") + f"-{width}.png"


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_without_errors(seen, path, width):
    page = seen(path, width)
    page.assert_worked_offline()
    assert page.page.locator("article h1").count() >= 1, f"{path} has no title"
    page.screenshot(_shot_name(path, width))


@pytest.mark.parametrize("path", PAGES)
def test_maths_is_typeset_by_the_local_mathjax(seen, path):
    page = seen(path)
    assert all(status == 200 for status in page.loaded("vendor/mathjax/"))
    n_maths = page.page.locator("article mjx-container").count()
    if path in CHAPTERS:
        assert page.loaded("vendor/mathjax/tex-chtml.js") == [200]
        assert page.loaded("vendor/mathjax/output/chtml/fonts/woff-v2/"), "no MathJax font loaded"
        assert n_maths >= 20, f"only {n_maths} typeset formulas in {path}"
    assert page.page.locator("article mjx-merror").count() == 0, f"{path}: MathJax errors"
    # An unknown macro (one missing from _config.yml's macros) is drawn in red.
    undefined = page.page.locator('article mjx-container [style*="color: red"]')
    assert undefined.count() == 0, f"{path}: undefined macros: {undefined.all_inner_texts()}"
    prose = page.page.evaluate(PROSE_TEXT)
    assert "$$" not in prose, f"{path}: raw $$ left in the text"
    raw_latex = re.findall(r"\\(?:frac|begin|mathbf|partial|sigma|lim|nabla)\b", prose)
    assert not raw_latex, f"{path}: untypeset LaTeX in the text: {raw_latex[:5]}"


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", PAGES)
def test_every_image_loads(seen, path, width):
    page = seen(path, width)
    # Images below the fold load lazily: ask for all of them, then wait until they are in.
    page.page.evaluate("document.querySelectorAll('img').forEach(img => { img.loading = 'eager'; })")
    page.page.wait_for_function("[...document.images].every(img => img.complete)", timeout=60_000)
    images = page.page.evaluate(
        "[...document.images].map(img => ({src: img.currentSrc.slice(0, 80),"
        " ok: img.complete && img.naturalWidth > 0}))")
    broken = [image["src"] for image in images if not image["ok"]]
    assert not broken, f"{path}: images that did not load: {broken}"
    if path in CHAPTERS:
        figures = page.page.locator("article .cell_output img, article .nnd-vega svg").count()
        assert figures >= 2, f"{path} shows {figures} figures"


# JavaScript: what sticks out of the article's column (display maths, figures, widgets,
# tables), measured against the column's own width.  A wide table inside a box that scrolls
# sideways is still readable; an equation or figure must fit.
OVERFLOWING = """() => {
  const article = document.querySelector("article");
  const right = article.getBoundingClientRect().right + 1;
  const scrolls = el => {
    for (let box = el.parentElement; box && box !== article; box = box.parentElement) {
      const x = getComputedStyle(box).overflowX;
      if ((x === "auto" || x === "scroll") && box.getBoundingClientRect().right <= right) return true;
    }
    return false;
  };
  const out = [];
  const what = "mjx-container[display=true] mjx-math, .cell_output img, .nnd-vega svg, table";
  for (const el of article.querySelectorAll(what)) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > right && !(el.tagName === "TABLE" && scrolls(el))) {
      const text = (el.closest("mjx-container") || el).textContent || el.tagName;
      out.push(`${el.tagName.toLowerCase()} ${Math.round(box.width)} px: ${text.slice(0, 60)}`);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("path", PAGES)
def test_nothing_overflows_the_column_on_a_phone(seen, path):
    """At 420 px, every display equation, figure and widget fits its column (none cut off)."""
    page = seen(path, WIDTHS["phone"])
    page.page.evaluate("MathJax && MathJax.startup ? MathJax.startup.promise : 1")
    overflowing = page.page.evaluate(OVERFLOWING)
    assert not overflowing, f"{path} at 420 px: {len(overflowing)} overflow: {overflowing}"


@pytest.mark.parametrize("path", CHAPTERS)
def test_launch_buttons_open_this_repository(seen, path):
    url, branch = _repository()
    org_repo = url.split("github.com/")[1]
    notebook = path.removesuffix(".html") + ".ipynb"
    page = seen(path)
    hrefs = page.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    binder = f"https://mybinder.org/v2/gh/{org_repo}/{branch}?urlpath=lab/tree/{notebook}"
    colab = f"https://colab.research.google.com/github/{org_repo}/blob/{branch}/{notebook}"
    assert binder in hrefs, f"no Binder button for {binder}"
    assert colab in hrefs, f"no Colab button for {colab}"
    assert url in hrefs, "no repository button"
    live_code = page.page.locator("button[onclick*='initThebe']")
    assert live_code.count() == 1 and "Live Code" in live_code.inner_text()


def test_live_code_loads_thebe_from_the_site_then_asks_binder(visit):
    url, branch = _repository()
    binder_build = f"https://mybinder.org/build/gh/{url.split('github.com/')[1]}/{branch}"
    page = visit(CHAPTERS[0])
    page.page.locator(".dropdown-launch-buttons button.dropdown-toggle").click()
    # Thebe asks mybinder.org for a kernel for this repository: the one thing
    # Live Code needs the network for (this test's browser refuses it).
    with page.page.expect_request(lambda request: request.url.startswith(binder_build),
                                  timeout=30_000):
        page.page.locator("button[onclick*='initThebe']").click()
    assert page.loaded("vendor/thebe/index.js") == [200]
    assert page.loaded("vendor/thebe/thebe.css") == [200]
    # Thebe turned the code cells into editable, runnable cells.
    assert page.page.locator(".thebe-cell").count() >= 5
    unexpected = [error for error in page.errors if "mybinder.org" not in error]
    assert not unexpected, f"JavaScript errors: {unexpected}"


def _move_frame_sliders(page, path):
    """Every frames slider drives its picture, with the mouse and the keys; returns how many."""
    sliders = page.page.locator("article .nnd-slider input[type=range]")
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        slider.scroll_into_view_if_needed()
        image = slider.evaluate_handle("el => el.closest('.nnd-slider').querySelector('img')")
        first = image.evaluate("img => img.src")
        box = slider.bounding_box()
        page.page.mouse.click(box["x"] + 0.75 * box["width"], box["y"] + box["height"] / 2)
        assert image.evaluate("img => img.src") != first, \
            f"{path}, slider {i}: moving it did not change the picture"
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        slider.focus()
        page.page.keyboard.press("Home")
        assert image.evaluate("img => img.src") == first, f"{path}, slider {i}: Home did not go back"
    return sliders.count()


def _redrawn(page, drawing, before, seconds: float = 8.0) -> bool:
    """Whether the chart's SVG changes within ``seconds`` (Vega redraws asynchronously)."""
    for _ in range(int(seconds / 0.1)):
        if drawing.inner_html() != before:
            return True
        page.page.wait_for_timeout(100)
    return False


def _move_vega_controls(page, path):
    """Every control of every Vega widget redraws its chart from the keyboard (or, for a menu,
    by choosing another entry); each control is put back before the next is tried, so that
    one control's effect is never hidden by another's extreme value.  Returns how many."""
    widgets = page.page.locator("article .nnd-vega")
    moved = 0
    for i in range(widgets.count()):
        widget = widgets.nth(i)
        widget.scroll_into_view_if_needed()
        widget.locator("svg").first.wait_for(timeout=60_000)
        drawing = widget.locator("svg").first
        controls = widget.locator(".vega-bindings input, .vega-bindings select")
        assert controls.count() >= 1, f"{path}, vega widget {i} has no control"
        for j in range(controls.count()):
            control = controls.nth(j)
            kind = control.evaluate("el => el.tagName === 'SELECT' ? 'select' : el.type")
            if kind == "radio" and control.is_checked():
                continue  # a radio group moves through its other buttons
            before = drawing.inner_html()
            if kind == "select":
                values = control.evaluate("el => [...el.options].map(o => o.value)")
                current = control.input_value()
                control.select_option(next(v for v in values if v != current))
                changed = _redrawn(page, drawing, before)
                control.select_option(current)
            elif kind in ("radio", "checkbox"):
                group = control.evaluate(
                    "el => [...el.closest('.vega-bind').querySelectorAll('input')]"
                    ".findIndex(x => x.checked)")
                control.focus()
                page.page.keyboard.press("Space")
                changed = _redrawn(page, drawing, before)
                control.evaluate("(el, k) => { const all = el.closest('.vega-bind')"
                                 ".querySelectorAll('input'); if (k >= 0) all[k].click(); }", group)
            else:  # a range: the keyboard moves it to one end (or the other), then it goes back
                original = control.input_value()
                control.focus()
                page.page.keyboard.press("End")
                changed = _redrawn(page, drawing, before, 4.0)
                if not changed:
                    page.page.keyboard.press("Home")
                    changed = _redrawn(page, drawing, before)
                control.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', "
                                 "{bubbles: true})); }", original)
            page.page.wait_for_timeout(300)
            assert changed, f"{path}, vega widget {i}, control {j} ({kind}): moving it did not redraw"
            moved += 1
    return moved


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_kernel_free_control_moves_its_picture(visit, path):
    """Each chapter has something to move without a kernel, and every control of it works."""
    page = visit(path)
    page.assert_worked_offline()
    n_frames = _move_frame_sliders(page, path)
    n_vega = _move_vega_controls(page, path)
    assert n_frames + n_vega >= 1, f"{path} has no kernel-free widget"
    page.assert_worked_offline()
    if n_vega:
        assert page.loaded("vendor/vega/vega.min.js") == [200]


def test_vega_widget_has_several_controls_and_fits_a_phone(visit):
    """The multi-control widget of chapter 1 at 420 px: drawn, two sliders, nothing cut off."""
    page = visit(CHAPTERS[0], WIDTHS["phone"])
    widget = page.page.locator("article .nnd-vega").first
    widget.locator("svg").first.wait_for(timeout=20_000)
    assert widget.locator(".vega-bindings input[type=range]").count() >= 2
    svg_width = widget.locator("svg").first.bounding_box()["width"]
    column = page.page.locator("article").bounding_box()["width"]
    assert svg_width <= column + 1, f"the chart is {svg_width} px in a {column} px column"
    widget.screenshot(path=str(SCREENSHOTS / "vega-widget-420.png"))


@pytest.mark.parametrize("path", EXERCISES)
def test_exercise_page_shows_not_attempted_verdicts(seen, path):
    page = seen(path)
    outputs = " ".join(page.page.locator("article .cell_output").all_inner_texts()).lower()
    assert "not attempted" in outputs
    assert "correct" not in outputs.replace("not attempted", ""), \
        "the blank exercise notebook should not have correct answers"


def test_widget_manager_renders_widgets_with_the_local_copies(visit, base_url):
    """A page made here from ipywidgets' embed data, loading the site's vendored files
    the way a book page with a visible widget does (with the MathJax.Hub shim)."""
    import ipywidgets as widgets
    from ipywidgets.embed import embed_data

    slider = widgets.FloatSlider(value=0.7, min=0, max=1, step=0.1, description=r"\(x^2\)")
    # The full state, as nbclient stores it in an executed notebook.
    data = embed_data(views=[slider], drop_defaults=False)
    page_html = f"""<!DOCTYPE html>
<html data-content_root="../"><head><meta charset="utf-8">
<script>window.MathJax = {{}}</script>
<script>{MATHJAX_HUB_SHIM}</script>
<script defer src="../vendor/mathjax/tex-chtml.js"></script>
<script type="application/vnd.jupyter.widget-state+json">{json.dumps(data["manager_state"])}</script>
<script src="../vendor/jupyter-widgets/embed.js"></script>
</head><body><main><article>
<script type="application/vnd.jupyter.widget-view+json">{json.dumps(data["view_specs"][0])}</script>
</article></main></body></html>"""
    _QuietHandler.extra_pages[WIDGET_TEST_PAGE] = page_html.encode()
    try:
        page = visit(WIDGET_TEST_PAGE)
        page.page.wait_for_selector(".widget-slider", timeout=20_000)
        page.page.wait_for_selector(".widget-slider mjx-container", timeout=20_000)
        page.assert_worked_offline()
        assert page.loaded("vendor/jupyter-widgets/embed.js") == [200]
        readout = page.page.locator(".widget-slider .widget-readout")
        assert readout.inner_text().strip() == "0.70"
        # Without a kernel the widget still moves (it just computes nothing).
        page.page.locator(".widget-slider .noUi-handle").press("ArrowRight")
        assert readout.inner_text().strip() == "0.80"
    finally:
        _QuietHandler.extra_pages.pop(WIDGET_TEST_PAGE, None)
