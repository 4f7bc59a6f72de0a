"""Sphinx extension: the book's pages load their JavaScript from the book, never a CDN.

MathJax and the ipywidgets embed manager are pointed at the vendored copies in
``_assets/vendor/`` by ``_config.yml`` alone (``mathjax_path``,
``nb_ipywidgets_js``).  The rest needs code, and lives here:

* sphinx-thebe hard-codes a CDN address for Thebe (the Live Code button) in an
  inline script; we rewrite it to the vendored ``vendor/thebe/index.js`` and
  load Thebe's stylesheet only when a reader starts Live Code (it restyles
  every ``<pre>``, so it must not be on every page);
* myst-nb adds the ipywidgets embed manager (1.9 MB) and the notebook's whole
  widget state to every page whose notebook created a widget, even when the
  page shows none (the chapters hide their live widgets with ``remove-output``
  and show kernel-free sliders instead); such pages get neither;
* the embed manager typesets widget labels with the MathJax 2 call
  ``MathJax.Hub.Queue``; on pages that do show widgets a few lines map it to
  MathJax 3;
* after the build, every HTML page is searched for CDN hosts, and each page
  that names one is reported as a warning, which fails the strict
  (``-W``) build.

Loaded through ``sphinx: local_extensions`` in ``_config.yml``.  Sphinx does not
notice an edit of this file: after one, rebuild from scratch (``make clean book``).
"""
from __future__ import annotations

import re
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

CDN_HOSTS = ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com", "bootstrapcdn.com")
WIDGET_VIEW_TYPE = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_TYPE = "application/vnd.jupyter.widget-state+json"
VENDOR_DIR = "vendor"  # where html_extra_path puts _assets/vendor/ in the output

# The site root is resolved in the browser from <html data-content_root="../">,
# which Sphinx writes on every page, so one script body serves every depth.
THEBE_LOCAL = f"""\
const THEBE_JS_URL = new URL("{VENDOR_DIR}/thebe/index.js",
  new URL(document.documentElement.dataset.content_root || "./", document.baseURI)).href;
document.addEventListener("click", (event) => {{
  if (!event.target.closest("[onclick*='initThebe'], .thebe-launch-button")) return;
  if (document.getElementById("thebe-vendored-css")) return;
  const link = document.createElement("link");
  link.id = "thebe-vendored-css";
  link.rel = "stylesheet";
  link.href = new URL("thebe.css", THEBE_JS_URL).href;
  document.head.appendChild(link);
}}, true)"""

_THEBE_URL_DECLARATION = re.compile(r'const THEBE_JS_URL = "[^"]*"')

# Runs at DOMContentLoaded: after the deferred MathJax script, before the embed
# manager renders the widgets (on window "load").
MATHJAX_HUB_SHIM = """\
window.addEventListener("DOMContentLoaded", () => {
  const mj = window.MathJax;
  if (!mj || !mj.startup || mj.Hub) return;
  mj.Hub = {Queue: (...jobs) => jobs.forEach((job) => {
    if (Array.isArray(job) && job[0] === "Typeset" && job[2]) {
      mj.startup.promise = mj.startup.promise.then(() => mj.typesetPromise([job[2]]));
    }
  })};
})"""


def _local_thebe_body(body: str) -> str:
    """Replace sphinx-thebe's CDN declaration of THEBE_JS_URL with the vendored one."""
    return _THEBE_URL_DECLARATION.sub(lambda _: THEBE_LOCAL, body, count=1)


def use_vendored_thebe(app, env, docnames) -> None:
    """Rewrite the inline script that sphinx-thebe registered (it runs just before us)."""
    for _filename, attributes in app.registry.js_files:
        if "THEBE_JS_URL" in attributes.get("body", ""):
            attributes["body"] = _local_thebe_body(attributes["body"])
    # The HTML builder copies every registered script again before writing
    # (StandaloneHTMLBuilder.prepare_writing), as filename '' where the first
    # copy has None, so an inline script registered this late would appear
    # twice, and a second `const THEBE_JS_URL` is a SyntaxError in the browser.
    # Drop the builder's copy; the rewritten registry entry comes back from there.
    if hasattr(app.builder, "_js_files"):
        app.builder._js_files = [script for script in app.builder._js_files
                                 if "THEBE_JS_URL" not in script.attributes.get("body", "")]


def _is_widget_script(script) -> bool:
    """The embed manager itself, or the inline widget state myst-nb puts beside it."""
    return ("jupyter-widgets/embed.js" in str(script.filename or "")
            or script.attributes.get("type") == WIDGET_STATE_TYPE)


def widget_scripts_only_where_widgets_show(app, pagename, templatename, context,
                                           doctree) -> None:
    """Drop the widget scripts from pages without a widget view; shim MathJax where kept."""
    scripts = context.get("script_files")
    if not scripts or not any(_is_widget_script(script) for script in scripts):
        return
    if WIDGET_VIEW_TYPE in context.get("body", ""):
        app.add_js_file(None, body=MATHJAX_HUB_SHIM, priority=100)
    else:
        # script_files is the builder's per-page list, restored after each page.
        scripts[:] = [script for script in scripts if not _is_widget_script(script)]


def pages_naming_a_cdn(outdir: Path) -> dict[str, list[str]]:
    """{page path: CDN hosts it mentions} for every HTML page under ``outdir``."""
    found = {}
    for page in sorted(outdir.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        hosts = [host for host in CDN_HOSTS if host in text]
        if hosts:
            found[page.relative_to(outdir).as_posix()] = hosts
    return found


def check_no_cdn(app, exception) -> None:
    """Warn (an error under -W) for each built page that references a CDN."""
    if exception is not None or app.builder.format != "html":
        return
    for page, hosts in pages_naming_a_cdn(Path(app.outdir)).items():
        logger.warning("%s references a CDN (%s): the site must work offline; serve the "
                       "file from _assets/vendor/ instead", page, ", ".join(hosts))


def setup(app):
    # sphinx-thebe adds its script at the default priority 500; run after it.
    app.connect("env-before-read-docs", use_vendored_thebe, priority=900)
    # myst-nb adds a page's widget scripts at the default priority 500; run after it.
    app.connect("html-page-context", widget_scripts_only_where_widgets_show, priority=900)
    app.connect("build-finished", check_no_cdn)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
