"""Sphinx configuration of the skcourse documentation.

Build from the repository root with
``python -m sphinx -b html -W --keep-going docs docs/_build/html`` (or
``make docs``).  Neither the build nor the built pages need a network: no
intersphinx inventories are fetched, the gallery runs the examples on data
bundled with scikit-learn (an example that needs MNIST runs only where MNIST
is already on disk, see docs/sphinxext/gallery_requirements.py), the theme
bundles its fonts and icons, and the pages carry their own copy of MathJax.
"""

import importlib
import importlib.util
import inspect
import os
import posixpath
import re
import sys
from pathlib import Path

# Before anything imports scipy, which reads it once: the GPU example uses
# scikit-learn's array API dispatch, which needs scipy's array API support.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import matplotlib
from docutils import nodes
from sphinx.util import logging

matplotlib.use("Agg")  # the gallery draws without a display

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# Document the checkout, not an older installed copy; and find docs/sphinxext.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS / "sphinxext"))

from gallery_requirements import missing_requirement  # noqa: E402

import skcourse  # noqa: E402

logger = logging.getLogger("skcourse-docs")

project = "skcourse"
author = "the skcourse developers"
copyright = "skcourse developers, BSD-3-Clause"
release = skcourse.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",  # the internals' source, one click from each formula
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "sphinx_design",  # the landing page's cards
    "myst_parser",  # design.md and benchmarks/README.md are Markdown
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
# sg_execution_times: left by builds with sphinx-gallery's timing tables (CDN scripts).
exclude_patterns = [
    "_build",
    "_templates",
    "sphinxext",
    "**.ipynb_checkpoints",
    "sg_execution_times.rst",
    "**/sg_execution_times.rst",
]

# -- Math without network -------------------------------------------------------

# Sphinx's default MathJax comes from a CDN, so a page opened from disk without
# network shows raw LaTeX. sphinx-mathjax-offline (a pip package) ships MathJax
# 3.2.2; of it the pages need one file: the "tex-svg-full" component holds the
# TeX input with every extension and the SVG output, whose glyphs are paths in
# the script itself, so it loads no fonts and no further scripts (2.2 MB).
# html_static_path copies that file to _static/; mathjax_path is relative to it.
_MATHJAX_SPEC = importlib.util.find_spec("sphinx-mathjax-offline")
if _MATHJAX_SPEC is None:
    raise RuntimeError(
        "the docs need sphinx-mathjax-offline (pip install -e '.[docs]')"
    )
MATHJAX_FILE = (
    Path(_MATHJAX_SPEC.origin).parent / "static" / "mathjax" / "tex-svg-full.js"
)
mathjax_path = MATHJAX_FILE.name

# -- API pages ----------------------------------------------------------------

autosummary_generate = True
# Every public method, inherited ones included (score, get_params,
# set_params, set_output, the metadata-routing set_*_request ...), as on
# scikit-learn's class pages; check_api_pages fails the build if one is
# missing. The inherited docstrings are scikit-learn's: sklearn_references
# turns their links to scikit-learn's own pages into plain text.
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"  # the numpydoc sections say the types
# Our class template lists the methods with autodoc; numpydoc's own member
# tables would list them a second time.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False


#: A cross-reference role with a target, as in :ref:`text <label>` or :ref:`label`.
_ROLE = re.compile(r":(?:ref|doc|term):`(?:([^`<]*?)\s*<[^`>]*>|([^`<]*))`")


def sklearn_references(app, what, name, obj, options, lines):
    """Make the labels of scikit-learn's pages plain text in its docstrings.

    The inherited methods (``score``, ``set_output``, ...) bring their
    docstrings from scikit-learn, whose ``:ref:`` links point at its user
    guide and gallery; this site has neither (and fetches no inventory), so
    such a link would be a broken reference. Its text is kept, marked as
    scikit-learn's.
    """
    if not getattr(obj, "__module__", "").startswith("sklearn"):
        return
    lines[:] = [_ROLE.sub(_as_sklearn_text, line) for line in lines]


def _as_sklearn_text(match):
    """The text of a link to scikit-learn's pages: its own text, or for a
    bare gallery label the example's file name."""
    text, label = match[1], match[2]
    if not text and label.startswith("sphx_glr_"):
        return f"the example {label[label.rfind('plot_') :]} (scikit-learn's gallery)"
    return f"{text or label} (scikit-learn's documentation)"


def literal_formula_blocks(app, what, name, obj, options, lines):
    """Show the private modules' indented ASCII formulas as code.

    Their module docstrings are plain text for ``help()`` and editors, with
    formulas such as ``delta_k = g_k'(a_k) * (delta_{k+1} W_{k+1}^T)`` set
    apart by indentation. reStructuredText would read such a block as a quote
    and its ``*`` as emphasis; a ``code-block`` directive before it shows it
    as it is written.
    """
    if what != "module" or not name.startswith("skcourse._"):
        return
    out = []
    for line in lines:
        previous = [x for x in out if x.strip()]
        starts_block = (
            line.startswith(" ")
            and out
            and not out[-1].strip()
            and previous
            and not previous[-1].startswith(" ")
            and not previous[-1].rstrip().endswith("::")
        )
        if starts_block:
            out.extend([".. code-block:: text", ""])
        out.append(line)
    lines[:] = out


# The public modules whose every name must have an API page (docs/api.rst);
# a module missing from the checkout is skipped.
PUBLIC_MODULES = (
    "skcourse.linear_model",
    "skcourse.neural_network",
    "skcourse.activations",
    "skcourse.preprocessing",
    "skcourse.datasets",
    "skcourse.inspection",
    "skcourse.persistence",
    "skcourse.onnx",  # needs skl2onnx: the docs extra installs it
)


def public_names(module):
    """``__all__``, or the classes and functions the module defines itself."""
    if hasattr(module, "__all__"):
        return list(module.__all__)
    return [
        name
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(obj) or inspect.isfunction(obj))
        and obj.__module__ == module.__name__
    ]


def public_methods(cls):
    """The public methods of ``cls``, inherited ones included."""
    return [
        name
        for name in dir(cls)
        if not name.startswith("_")
        and callable(getattr(cls, name, None))
        and not inspect.isclass(getattr(cls, name))
    ]


def check_api_pages(app, env):
    """Warn (an error under -W) for a public name without an API page, and
    for a public method of a public class without its entry on the class's
    page, so that nothing public can be left out of docs/api.rst."""
    documented = env.get_domain("py").objects
    modules = [
        importlib.import_module(name)
        for name in PUBLIC_MODULES
        if importlib.util.find_spec(name) is not None
    ]
    for module in modules:
        for name in public_names(module):
            path = f"{module.__name__}.{name}"
            if path not in documented:
                logger.warning("%s has no API page: add it to docs/api.rst", path)
                continue
            obj = getattr(module, name)
            if not inspect.isclass(obj):
                continue
            for method in public_methods(obj):
                if f"{path}.{method}" not in documented:
                    logger.warning("%s.%s has no entry on its API page", path, method)
    for name in skcourse.__all__:  # re-exports: documented under their module
        if not any(f"{m.__name__}.{name}" in documented for m in modules):
            logger.warning("skcourse.%s has no API page", name)


def code_name_targets(text, prefixes):
    """The dotted names that the code span ``text`` may stand for: itself
    under ``skcourse.`` or a public module, or under one of ``prefixes``
    (the module and class of a name met before it); a ``.py`` file of the
    package stands for its module."""
    name = text.removesuffix("()").lstrip(".")
    if text.endswith(".py"):
        return [f"skcourse.{name[: -len('.py')]}"]
    heads = ["skcourse", *PUBLIC_MODULES, *prefixes]
    return [f"{head}.{name}" for head in heads]


def link_code_names(app, doctree, docname):
    """In design.md, make each code span that names a documented skcourse
    function, class or module a link to its API entry.

    The page is Markdown that reads the same on GitHub, so it names functions
    in code spans (`_online.online_epoch`); on this site each becomes a link.
    A bare name (`online_block`) or a method (`.value`) after a qualified name
    in the same paragraph or table cell is looked up where that one lives.
    """
    if docname != "design":
        return
    objects = app.env.get_domain("py").objects
    prefixes = {}  # paragraph or cell -> modules and classes named in it
    for node in list(doctree.findall(nodes.literal)):
        if isinstance(node.parent, nodes.reference):
            continue
        text = node.astext()
        if text.startswith("plot_") and text.endswith(".py"):  # an example
            pages = [d for d in app.env.found_docs if d.endswith(f"/{text[:-3]}")]
            if len(pages) == 1:
                uri = app.builder.get_relative_uri(docname, pages[0])
                node.replace_self(nodes.reference("", "", node.deepcopy(), refuri=uri))
            continue
        near = prefixes.setdefault(id(node.parent), [])
        targets = code_name_targets(text, near)
        target = next((t for t in targets if t in objects), None)
        if target is None:  # a name defined once in the package
            ends = [k for k in objects if k.endswith(f".{text}")]
            target = ends[0] if len(ends) == 1 and text.isidentifier() else None
        if target is None:
            continue
        if objects[target].objtype in ("module", "class"):
            near.insert(0, target)
        parent = target.rsplit(".", 1)[0]
        near[len(near) :] = [
            p for p in (parent, parent.rsplit(".", 1)[0]) if p not in near
        ]
        entry = objects[target]
        uri = app.builder.get_relative_uri(docname, entry.docname)
        if entry.objtype != "module":
            uri += f"#{entry.node_id}"
        node.replace_self(nodes.reference("", "", node.deepcopy(), refuri=uri))


EXAMPLES = ROOT / "examples"


def example_targets(path):
    """The link targets of the page of the example at ``path``: its label
    (for ``:ref:``) and its document name (for ``:doc:`` and figure targets)."""
    parts = path.relative_to(EXAMPLES).with_suffix("").parts
    label = "sphx_glr_auto_examples_" + "_".join(parts) + ".py"
    return {label, "auto_examples/" + "/".join(parts)}


def link_targets(doctree, docname):
    """What the page ``docname`` links to: ``:ref:`` labels, ``:doc:`` names
    and the pages of local ``.html`` links (figure targets), as document
    names relative to the source root."""
    here = posixpath.dirname(docname)
    targets = set()
    for node in doctree.findall(nodes.Element):
        target = node.get("reftarget", "")
        if node.get("reftype") == "doc":
            if target.startswith("/"):
                target = target[1:]
            else:
                target = posixpath.normpath(posixpath.join(here, target))
        uri = node.get("refuri", "")
        if "://" not in uri and uri.endswith(".html"):
            target = posixpath.normpath(posixpath.join(here, uri[: -len(".html")]))
        if target:
            targets.add(target.lower())
    return targets


def check_chapters_link_examples(app, env):
    """Warn (an error under -W) for a gallery example that no chapter of the
    user guide links to: the one of its folder's name, ``examples/X/`` being
    the chapter ``user_guide/X``, or any chapter where no page has that name.

    A link is a ``:ref:`` or ``:doc:`` to the example's page (a minigallery
    thumbnail is one) or a figure whose ``:target:`` is that page.
    """
    linked = {
        docname: link_targets(env.get_doctree(docname), docname)
        for docname in env.found_docs
        if docname.startswith("user_guide/")
    }
    for path in sorted(EXAMPLES.glob("*/plot_*.py")):
        chapter = f"user_guide/{path.parent.name}"
        pages = [chapter] if chapter in linked else list(linked)
        if not any(example_targets(path) & linked[doc] for doc in pages):
            where = f"docs/{chapter}.rst" if chapter in linked else "a user-guide page"
            logger.warning(
                "example %s is linked from no chapter: link it from %s",
                path.relative_to(ROOT),
                where,
            )


def setup(app):
    app.connect("autodoc-process-docstring", literal_formula_blocks)
    app.connect("autodoc-process-docstring", sklearn_references)
    app.connect("env-check-consistency", check_api_pages)
    app.connect("env-check-consistency", check_chapters_link_examples)
    app.connect("doctree-resolved", link_code_names)


# -- Markdown (design.md, the benchmarks' README) --------------------------------

# $...$ and $$...$$ as on GitHub, so design.md reads the same in both places.
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# -- Gallery ------------------------------------------------------------------


def _examples_to_run():
    """A pattern for sphinx-gallery's ``filename_pattern``: every example but
    those that need what this machine lacks (MNIST not on disk, an optional
    package); those pages show their code, unexecuted, and the build says so."""
    skipped = []
    for path in sorted((ROOT / "examples").glob("**/plot_*.py")):
        reason = missing_requirement(path)
        if reason is not None:
            skipped.append(re.escape(path.name))
            logger.info(f"gallery: {path.name} is shown but not run: {reason}")
    if not skipped:
        return r"/plot_"
    return rf"/(?!(?:{'|'.join(skipped)})$)plot_"


sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Every example that this machine can run is executed (all of them where
    # MNIST is on disk and the extras are installed); each runs in seconds
    # (the longest, plot_learned_features, in under ten).
    "filename_pattern": _examples_to_run(),
    # The chapter folders in the course's order (docs/sphinxext/gallery_order.py),
    # whichever of them exist.
    "subsection_order": "gallery_order.chapter_order",
    "within_subsection_order": "FileNameSortKey",
    # "Examples using X" on the API pages (the minigallery in the template).
    "doc_module": ("skcourse",),
    "backreferences_dir": "gen_modules/backreferences",
    # skcourse.SoftmaxRegression is re-exported; the API pages use the full path.
    "prefer_full_module": {r"skcourse\."},
    # Link the examples' code to the local API pages only: resolving the
    # links of other projects would download their search indexes.
    "reference_url": {"skcourse": None},
    "download_all_examples": False,
    "show_memory": False,
    # The timing tables load jQuery and DataTables from CDNs: not in an offline site.
    "write_computation_times": False,
}

# -- HTML ---------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"skcourse {release}"
html_short_title = "skcourse"
html_static_path = ["_static", str(MATHJAX_FILE)]
html_css_files = ["skcourse.css"]
html_theme_options = {
    "logo": {"text": "skcourse"},
    "navbar_align": "left",
    "header_links_before_dropdown": 6,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    # The benchmarks page needs the width for its summary table.
    "secondary_sidebar_items": {
        "**": ["page-toc", "sourcelink"],
        "benchmarks": [],
    },
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
}
# Pages without children need no section navigation.
html_sidebars = {
    page: []
    for page in ("index", "install", "coming_from_sklearn", "benchmarks", "design")
}
html_show_sourcelink = True
# Search: the private modules' pages after the public ones (see the file).
html_search_scorer = str(DOCS / "sphinxext" / "search_scorer.js")
