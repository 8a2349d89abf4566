"""Sphinx configuration of the skcourse documentation.

Build from the repository root with
``python -m sphinx -b html -W --keep-going docs docs/_build/html`` (or
``make docs``).  The build needs no network: no intersphinx inventories are
fetched, and the gallery runs the examples on data bundled with scikit-learn.
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the gallery draws without a display

# Document the checkout, not an older installed copy.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import skcourse  # noqa: E402

project = "skcourse"
author = "the skcourse developers"
copyright = "skcourse developers, BSD-3-Clause"
release = skcourse.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",  # design.md is Markdown, readable on the forge as well
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "_templates", "**.ipynb_checkpoints"]

# -- API pages ----------------------------------------------------------------

autosummary_generate = True
# The estimators' own methods. scikit-learn's inherited ones (get_params,
# score, set_output, the metadata-routing set_*_request) are documented by
# scikit-learn, and their docstrings refer to labels of its own pages.
autodoc_default_options = {
    "members": True,
    "exclude-members": (
        "get_metadata_routing, set_fit_request, set_partial_fit_request, "
        "set_score_request, set_transform_request"
    ),
}
autodoc_typehints = "none"  # the numpydoc sections say the types
# Our class template lists the methods with autodoc; numpydoc's own member
# tables would list them a second time.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# -- Markdown (design.md) -------------------------------------------------------

# $...$ and $$...$$ as on GitHub, so design.md reads the same in both places.
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# -- Gallery ------------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Every example is executed; each runs in a few seconds on bundled data.
    "filename_pattern": r"/plot_",
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
}

# -- HTML ---------------------------------------------------------------------

html_theme = "alabaster"
html_title = f"skcourse {release}"
html_theme_options = {
    "description": "scikit-learn estimators that follow a neural-network course",
    "fixed_sidebar": True,
    "page_width": "1100px",
}
html_static_path = []
