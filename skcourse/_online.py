"""The online perceptron: the course's one-sample rule, and its fast path.

The course's perceptron visits one sample per step (``perceptron_update``,
the slide's rule as written); a Python step per sample would be a hundred
times slower than scikit-learn's compiled loop.  This module runs the very
same steps a block of samples at a time, with a few matrix products per
block (``online_block``).  It plugs into the one
training loop (``_training.train``) as the ``epoch`` of the Perceptron when
``runs_online`` says that the shortcut is exact; the loop itself knows
nothing of it.

Symbols: ``X`` rows are the samples ``x_j``; ``C`` the steps of a block
(``c_j = -gamma dE/da`` at sample j's scores when visited); ``A`` scores.
"""

import numpy as np
import scipy.sparse as sp
from sklearn.utils import gen_batches

from ._fast_numpy import one_blas_thread
from ._models import Linear


def perceptron_update(w, x, t, gamma=1.0):
    """Slide "Perceptron algorithm": on a mistake, ``w <- w + gamma t x``.

    ``w`` the weights (the bias folded in as the weight of an input fixed at
    1), ``x`` one sample, ``t = +-1`` its target.  A mistake is ``t w.x <= 0``
    (a score of exactly 0 counts, or the zero start would never move).
    Updates ``w`` in place; returns whether it stepped.  This is the
    reference: ``online_epoch`` takes these very steps, a block at a time
    (``tests/test_perceptron.py`` replays the rule with it).
    """
    mistake = t * (w @ x) <= 0
    if mistake:
        w += gamma * t * x
    return mistake


#: Samples per block of ``online_epoch``: the products ``g_ji`` cost a block's
#: length per step and long blocks take more rounds; short blocks cost more
#: calls per sample.  32 was the fastest on MNIST (benchmarks/).
ONLINE_BLOCK = 32

#: ``BEFORE[j, i]``: sample i comes before sample j in a block.
BEFORE = np.tri(ONLINE_BLOCK, k=-1, dtype=bool)


def runs_online(objective, batch_size, n_samples, learning_rate, averaged):
    """Whether ``online_epoch`` takes the very steps of the minibatch loop.

    It does for one-sample steps of constant size, on a linear model in raw
    coordinates, for a loss whose gradient is zero except on mistakes (the
    perceptron criteria, ``Loss.online``).  A penalty moves W at
    every sample: an L2 penalty only scales it (``W <- rho W``), which the
    block's algebra follows (``shrink``), except for an average; L1's
    truncation it cannot.
    """
    penalty = objective.penalty
    return (
        batch_size == 1 < n_samples
        and learning_rate == "constant"
        and isinstance(objective.model, Linear)
        and objective.model.offset is None  # g_ji uses raw x
        and objective.loss.online
        and (not penalty.alpha or (penalty.l1_ratio == 0 and not averaged))
    )


def online_epoch(objective, optimizer, X, T, s, order, batch_size=1, stopped=None):
    """The online rule (one sample per step), a block of samples at a time.

    ``online_block`` finds the steps of a block in score space; the block's
    steps then move W, b and the average at once (``advance_block``).  The
    weights are those of the sample-by-sample loop, up to rounding.

    Returns the epoch's *online* loss: the mean of each
    sample's loss when it was visited, before its step (scikit-learn's
    Perceptron stops on it; it costs nothing, unlike a pass over the data),
    per output if the loss is ``per_output`` (one-vs-rest; each output
    then stops on its own), and whether any step was taken.  ``stopped``
    outputs take no step.  With averaging the loop measures the average
    itself (the average is the model).
    """
    if stopped is not None and stopped.any():
        return epoch_of_active_outputs(objective, optimizer, X, T, s, order, stopped)
    total, moved = 0.0, False
    # Products with one sample are faster on one thread than on several,
    # which spend more time meeting than multiplying.
    with one_blas_thread():
        for chunk in gen_batches(len(order), 32 * ONLINE_BLOCK):
            # One gather of many rows costs less than many gathers of few.
            rows = order[chunk]
            X_chunk, T_chunk, s_chunk = X[rows], T[rows], s[rows]
            for block in gen_batches(len(rows), ONLINE_BLOCK):
                X_block = X_chunk[block]
                C, loss = online_block(
                    objective, optimizer, X_block, T_chunk[block], s_chunk[block]
                )
                moved |= advance_block(objective.model, optimizer, X_block, C)
                total += loss
    # An average still moves toward the weights when they stand still.
    return total / len(order), moved or optimizer.has_average


def epoch_of_active_outputs(objective, optimizer, X, T, s, order, stopped):
    """``online_epoch`` when some one-vs-rest outputs have stopped.

    A stopped output takes no step, so the epoch trains the others alone, on
    a copy of their columns: the same weights, for less work as outputs stop.
    A stopped output has no loss this epoch (NaN): the ``Monitor`` keeps its
    last one.
    """
    active = ~stopped
    part = optimizer.columns(active)
    active_loss, moved = online_epoch(objective, part, X, T[:, active], s, order)
    optimizer.set_columns(active, part)
    loss = np.full(T.shape[1], np.nan)
    loss[active] = active_loss
    return loss, moved


def online_block(objective, optimizer, X, T, s):
    """The steps of the online rule over the rows of ``X``, in score space.

    Sample j's step is ``c_j = -gamma dE/da (a_j)`` (zero without a mistake),
    taken at its scores when visited, ``a_j = rho^j a0_j + b + sum_{i<j} g_ji
    c_i``, where ``a0 = X W`` before the block, ``g_ji = rho^(j-i) <x_j, x_i>
    + 1`` (step i moved W by ``x_i c_i`` and b by ``c_i``, then each step
    shrinks W by the L2 penalty's ``rho``; without one ``rho = 1``).  That
    is a triangular system for the steps C.  Guess C from the scores before
    the block (a step rarely moves a later sample across a decision
    boundary), then recompute the scores from C and C from the scores until
    C no longer changes: each round makes at least the first row it changes
    final, and a C that does not change solves the system row after row, so
    it is the sequential rule's.

    Returns C and the summed loss of the samples at their visit (per
    column, if the loss is ``per_output``).
    """
    # -gamma dE/da = dE/da with weights -gamma s: the criteria are linear in s.
    steps = objective.loss.delta_at(T, -optimizer.gamma * s)
    rho = optimizer.shrink()
    A0 = objective.decision(optimizer.params, X)
    if rho != 1.0:  # sample j sees W shrunk j times
        model = objective.model
        bias = model.bias(optimizer.params) if model.fit_intercept else 0.0
        A0 = rho ** np.arange(len(A0))[:, None] * (A0 - bias) + bias
    C = steps(A0)
    A = A0
    # (count_nonzero: ndarray.any() costs several times more on a few rows;
    # most blocks of a trained perceptron make no mistake.)
    if np.count_nonzero(C):
        # The whole block's G at once: one product, where picking the
        # columns of the samples that step cost more calls than it saved.
        G = step_influence(X, objective.model.fit_intercept, rho)
        for _ in range(len(A0)):  # each round fixes one more row at least
            A = A0 + G @ C
            C_next = steps(A)
            if (C_next == C).all():
                break
            C = C_next
    return C, output_losses(objective.loss, A, T, s)


def output_losses(loss, A, T, s):
    """The summed loss, per output if the outputs are separate problems."""
    if loss.per_output:
        return loss.column_values(A, T, s)
    return float(loss.value(A, T, s))


def step_influence(X, fit_intercept, rho=1.0):
    """``G[j, i] = rho^(j-i) <x_j, x_i> + 1`` if i comes before j, else 0: how
    much a unit step at sample i moves the scores of sample j.
    """
    products = X @ X.T
    if sp.issparse(products):
        products = products.toarray()
    n = X.shape[0]
    if rho != 1.0:
        lag = np.arange(n)[:, None] - np.arange(n)[None, :]
        products = products * rho ** np.maximum(lag, 0)
    products += float(fit_intercept)
    return products * BEFORE[:n, :n]


# --- moving the optimizer by a whole block of steps --------------------------------


def advance_block(model, optimizer, X, C):
    """Move the parameters and their average by a block's steps ``C``;
    return whether any step was taken.

    Rows without a step (all zero in C) add nothing to the sums.  With the
    L2 penalty's ``rho`` (no average then), after the m steps ``W = rho^m W_0
    + sum_i rho^(m-i) x_i c_i`` and ``b = b_0 + sum_i c_i``.
    """
    m = len(C)
    rho = optimizer.shrink()
    moved = np.count_nonzero(C) > 0
    stepped = C.any(axis=1) if moved else None
    if rho != 1.0:
        if moved:
            decay = rho ** (m - np.flatnonzero(stepped))[:, None]
            X, C = X[stepped], C[stepped]
            change = model.backward(optimizer.params, X, decay * C)
            if len(change) > 1:
                change[1] = C.sum(axis=0)  # b is not penalised
            optimizer.advance(m, change, shrunk=rho**m)
        else:
            optimizer.advance(m, shrunk=rho**m)
        return moved
    if not moved:  # no mistake: the steps only count
        optimizer.advance(m)
        return moved
    X, C = X[stepped], C[stepped]
    if not optimizer.has_average:
        optimizer.advance(m, model.backward(optimizer.params, X, C))
        return moved
    # Both sums from one product: X^T [C, w C].
    weights = optimizer.average_weights(m)[stepped, None]
    both = model.backward(optimizer.params, X, np.hstack([C, weights * C]))
    K = C.shape[1]
    change = [g[..., :K] for g in both]
    weighted = [g[..., K:] for g in both]
    optimizer.advance(m, change, weighted)
    return moved
