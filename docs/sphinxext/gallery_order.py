"""The order of the gallery's sections: the course's chapters.

sphinx-gallery sorts the example folders with this key (``subsection_order``
in ``conf.py``, given by name so that Sphinx can cache the configuration). A
folder that is not a chapter (or a gallery without chapter folders) comes
after the chapters, in alphabetical order, so the key works whatever folders
exist.
"""

from pathlib import PurePath

# The course's order, which the user guide follows too.
CHAPTERS = (
    "perceptron",
    "multilayer_perceptron",
    "least_squares",
    "logistic_regression",
    "optimization",
    "feature_transforms",
)


def chapter_order(path):
    """Sort key of an example folder, given as a path such as ``../examples/x``."""
    name = PurePath(path).name
    if name in CHAPTERS:
        return (CHAPTERS.index(name), name)
    return (len(CHAPTERS), name)
