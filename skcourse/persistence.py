"""Saving a fitted model: what a skops file of skcourse holds.

``skops.io`` (the format scikit-learn's documentation recommends over pickle
for files from elsewhere) loads only the types it is told to trust.  A
skcourse model holds scikit-learn's and numpy's types, which skops trusts by
default, and the types that :func:`skops_trusted_types` lists: the estimator
classes and, after a fit by a stochastic solver, the optimizer whose state
``partial_fit`` and a warm start continue (plain data: arrays and numbers),
and scipy's CSR matrix of a sparsified ``Perceptron``'s ``coef_``.
"""

import scipy.sparse as sp

from ._optimizers import Adam, MomentumSGD, Optimizer, PenaltyStep
from .linear_model import Perceptron, SoftmaxRegression
from .neural_network import MLPClassifier, MLPRegressor
from .preprocessing import AddBias, RandomFeatures

__all__ = ["skops_trusted_types"]

#: The classes a skops file of a skcourse model may hold besides skops' defaults.
_TRUSTED = (
    Perceptron,
    SoftmaxRegression,
    MLPClassifier,
    MLPRegressor,
    RandomFeatures,
    AddBias,
    Optimizer,
    PenaltyStep,
    MomentumSGD,
    Adam,
    sp.csr_matrix,  # Perceptron.sparsify()
)


def skops_trusted_types():
    """The types to trust when loading a skcourse model with ``skops.io``.

    Pass them as ``trusted`` to ``skops.io.load`` or ``skops.io.loads``.  A
    file from elsewhere may hold other types: ``skops.io.get_untrusted_types``
    lists what a file holds beyond skops' defaults; check that it is no more
    than this list before loading it.

    Returns
    -------
    types : list of str
        The full names of the classes, as skops writes them
        (``"module.Class"``).

    Examples
    --------
    >>> from skcourse.persistence import skops_trusted_types
    >>> skops_trusted_types()[:2]
    ['skcourse._perceptron.Perceptron', 'skcourse.linear_model.SoftmaxRegression']

    With skops installed (``pip install skcourse[skops]``)::

        import skops.io as sio

        data = sio.dumps(fitted_model)
        unknown = set(sio.get_untrusted_types(data=data)) - set(skops_trusted_types())
        assert not unknown, unknown
        model = sio.loads(data, trusted=skops_trusted_types())
    """
    return [f"{cls.__module__}.{cls.__qualname__}" for cls in _TRUSTED]
