"""Visual inspection of trained models: the training curves.

Every estimator of skcourse records its training objective after each epoch
in ``loss_curve_`` (with early stopping, also ``validation_loss_curve_`` and
``validation_scores_``), as scikit-learn's MLPs do.  ``LossCurveDisplay``
draws them, following scikit-learn's display conventions: the constructor
takes the data, ``plot`` draws it and keeps the artists as attributes, and
``from_estimator`` reads the curves off fitted estimators and plots them.
matplotlib is imported only when something is drawn.
"""

from collections.abc import Mapping

import numpy as np
from sklearn.base import is_classifier, is_regressor
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

__all__ = ["LossCurveDisplay"]


def _import_pyplot(caller):
    """``matplotlib.pyplot``, or an ImportError that says who needs it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            f"{caller} requires matplotlib. You can install matplotlib with "
            "`pip install matplotlib`."
        ) from error
    return plt


def _as_curves(curves, what):
    """A list of 1-D float arrays, one per run; None where a run has none.

    A single curve (a flat sequence of numbers) is one run.
    """
    if curves is None:
        return None
    curves = list(curves)
    if curves and all(np.ndim(value) == 0 and value is not None for value in curves):
        curves = [curves]  # one curve, not a list of them
    checked = []
    for curve in curves:
        if curve is None:
            checked.append(None)
            continue
        curve = np.asarray(curve, dtype=float)
        if curve.ndim != 1 or curve.size == 0:
            raise ValueError(
                f"Each of the {what} must be a non-empty 1-D sequence of numbers; "
                f"got one of shape {curve.shape}."
            )
        checked.append(curve)
    return checked


def _final_estimator(estimator):
    """The estimator that trained: the last step of a Pipeline."""
    while isinstance(estimator, Pipeline):
        estimator = estimator[-1]
    return estimator


def _curves_of(estimator):
    """``(loss_curve_, validation_loss_curve_, validation_scores_)`` of a fitted
    estimator (None for the validation curves it did not record)."""
    final = _final_estimator(estimator)
    check_is_fitted(final)
    loss_curve = getattr(final, "loss_curve_", None)
    if loss_curve is None or len(loss_curve) == 0:
        raise ValueError(
            f"{type(final).__name__} has no loss_curve_, the training loss after "
            "each epoch that LossCurveDisplay draws. Estimators trained epoch by "
            "epoch record it (skcourse's estimators; scikit-learn's MLPs, except "
            "with solver='lbfgs')."
        )
    return (
        loss_curve,
        getattr(final, "validation_loss_curve_", None),
        getattr(final, "validation_scores_", None),
    )


def _step_name(estimator):
    """What one point of ``loss_curve_`` is: an L-BFGS iteration or an epoch."""
    return "iteration" if getattr(estimator, "solver", None) == "lbfgs" else "epoch"


def _score_name(estimators):
    """The validation score that ``score`` reports: accuracy or R²."""
    if all(is_classifier(est) for est in estimators):
        return "validation accuracy"
    if all(is_regressor(est) for est in estimators):
        return "validation $R^2$"
    return "validation score"


class LossCurveDisplay:
    """Training curves: the loss after each epoch, for one run or several.

    It is recommended to use :meth:`from_estimator` to create a display. All
    parameters are stored as attributes. Each run gets one colour: its
    training loss is a solid line, its validation loss a dashed line, and its
    validation score a dotted line on a second y axis (on the right), since
    a score (accuracy, :math:`R^2`) is on another scale than a loss.

    Parameters
    ----------
    loss_curves : list of array-like of shape (n_epochs_i,)
        The training loss of each run after each epoch (``loss_curve_``).
        A single flat sequence of numbers is one run.

    validation_loss_curves : list of (array-like or None), default=None
        The loss on the held-out validation data of each run
        (``validation_loss_curve_``), None for a run without one.

    validation_scores : list of (array-like or None), default=None
        The score on the held-out validation data of each run
        (``validation_scores_``), None for a run without one.

    names : list of str, default=None
        The name of each run, for the legend. None: no names (a single run's
        lines are then labelled "training loss", "validation loss" ...).

    xlabel : str, default="epoch"
        What one point of a curve is: "epoch" (one pass over the training
        data), or "iteration" for L-BFGS.

    ylabel : str, default="loss"
        The label of the losses' axis.

    score_name : str, default="validation score"
        The label of the validation scores' axis.

    Attributes
    ----------
    ax_ : matplotlib Axes
        The axes of the losses.

    ax_score_ : matplotlib Axes or None
        The axes of the validation scores (a twin of ``ax_`` unless
        ``score_ax`` was given to :meth:`plot`); None when none were drawn.

    figure_ : matplotlib Figure
        The figure of ``ax_``.

    lines_ : list of matplotlib Line2D
        The training curves, one per run.

    validation_lines_ : list of (matplotlib Line2D or None)
        The validation loss curves, one per run; None for a run without one
        or when ``validation=False``.

    score_lines_ : list of (matplotlib Line2D or None)
        The validation score curves, one per run; None for a run without
        one or when ``scores=False``.

    See Also
    --------
    sklearn.model_selection.LearningCurveDisplay : scores against the number
        of training samples.

    Notes
    -----
    Point :math:`i` of a curve is drawn at :math:`x = i + 1`: ``loss_curve_[0]``
    is the loss after the first epoch. A validation curve shorter than its
    training curve belongs to the *last* epochs of it (a warm start continues
    ``loss_curve_``), and is drawn there.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import load_digits
    >>> from skcourse.inspection import LossCurveDisplay
    >>> from skcourse.linear_model import SoftmaxRegression
    >>> X, y = load_digits(return_X_y=True)
    >>> X = X / 16.0
    >>> fits = {
    ...     solver: SoftmaxRegression(solver=solver, early_stopping=True,
    ...                               random_state=0).fit(X, y)
    ...     for solver in ["sgd", "asgd"]
    ... }
    >>> display = LossCurveDisplay.from_estimator(fits, log_scale=True)
    >>> [line.get_label() for line in display.lines_]
    ['sgd', 'asgd']
    >>> display.validation_lines_[1].get_label()
    'asgd, validation loss'
    >>> display.score_lines_[1].get_label()
    'asgd, validation accuracy'
    >>> display.lines_[0].get_xdata()[:3]
    array([1, 2, 3])
    >>> plt.close(display.figure_)
    """

    def __init__(
        self,
        loss_curves,
        *,
        validation_loss_curves=None,
        validation_scores=None,
        names=None,
        xlabel="epoch",
        ylabel="loss",
        score_name="validation score",
    ):
        self.loss_curves = loss_curves
        self.validation_loss_curves = validation_loss_curves
        self.validation_scores = validation_scores
        self.names = names
        self.xlabel = xlabel
        self.ylabel = ylabel
        self.score_name = score_name

    def _runs(self):
        """The checked curves: (training, validation loss, validation score,
        name) for each run."""
        training = _as_curves(self.loss_curves, "loss_curves")
        if not training or any(curve is None for curve in training):
            raise ValueError("loss_curves must hold at least one curve, and no None.")
        n_runs = len(training)
        validation_losses = self._per_run("validation_loss_curves", n_runs)
        validation_scores = self._per_run("validation_scores", n_runs)
        names = self._per_run("names", n_runs)
        for curve, loss, score in zip(
            training, validation_losses, validation_scores, strict=True
        ):
            for other in (loss, score):
                if other is not None and len(other) > len(curve):
                    raise ValueError(
                        f"A validation curve of {len(other)} epochs is longer than "
                        f"its training curve of {len(curve)}."
                    )
        return list(
            zip(training, validation_losses, validation_scores, names, strict=True)
        )

    def _per_run(self, what, n_runs):
        """The parameter ``what``, one entry per run (None: none for any)."""
        value = getattr(self, what)
        if value is None:
            return [None] * n_runs
        value = list(value) if what == "names" else _as_curves(value, what)
        if len(value) != n_runs:
            raise ValueError(
                f"{what} has {len(value)} entries for {n_runs} loss curves: "
                "give one per run."
            )
        return value

    def plot(
        self,
        ax=None,
        *,
        validation=True,
        scores=True,
        score_ax=None,
        log_scale=False,
        line_kw=None,
        validation_line_kw=None,
        score_line_kw=None,
    ):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw the losses on. None: a new figure and axes.

        validation : bool, default=True
            Draw the validation loss curves (dashed), where there are some.

        scores : bool, default=True
            Draw the validation scores (dotted), where there are some.

        score_ax : matplotlib Axes, default=None
            Axes to draw the validation scores on (a second subplot, say).
            None: a twin of ``ax`` sharing its x axis, with its y axis on the
            right.

        log_scale : bool, default=False
            A logarithmic y axis for the losses (the loss must stay positive).

        line_kw, validation_line_kw, score_line_kw : dict, default=None
            Keyword arguments for matplotlib's ``plot`` of the training,
            validation loss and validation score lines.

        Returns
        -------
        display : LossCurveDisplay
            The object, with the artists as attributes.
        """
        plt = _import_pyplot(f"{type(self).__name__}.plot")
        runs = self._runs()
        if ax is None:
            _, ax = plt.subplots()
        one_unnamed_run = len(runs) == 1 and runs[0][3] is None
        self.lines_, self.validation_lines_, self.score_lines_ = [], [], []
        self.ax_score_ = None
        kws = (line_kw or {}, validation_line_kw or {}, score_line_kw or {})
        for training, validation_loss, validation_score, name in runs:
            if not scores:
                validation_score = None
            if validation_score is not None and self.ax_score_ is None:
                self.ax_score_ = ax.twinx() if score_ax is None else score_ax
            curves = (
                training,
                validation_loss if validation else None,
                validation_score,
            )
            labels = (
                "training loss" if one_unnamed_run else name,
                _label(name, "validation loss", one_unnamed_run),
                _label(name, self.score_name, one_unnamed_run),
            )
            line, validation_line, score_line = self._plot_run(
                (ax, ax, self.ax_score_), curves, labels, kws
            )
            self.lines_.append(line)
            self.validation_lines_.append(validation_line)
            self.score_lines_.append(score_line)
        self._decorate(ax, log_scale, twin=score_ax is None)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @staticmethod
    def _plot_run(axes, curves, labels, kws):
        """One run's lines, in one colour: training solid, validation loss
        dashed, validation score dotted (None for a curve not drawn)."""
        training = curves[0]
        lines, color = [], None
        for ax, curve, label, kw, style in zip(
            axes, curves, labels, kws, ("-", "--", ":"), strict=True
        ):
            if curve is None:
                lines.append(None)
                continue
            defaults = {"linestyle": style, "label": label}
            if color is not None:
                defaults["color"] = color  # the training line's colour
            (line,) = ax.plot(_epochs(curve, training), curve, **{**defaults, **kw})
            color = color or line.get_color()
            lines.append(line)
        return lines

    def _decorate(self, ax, log_scale, twin):
        """Axis labels, integer epoch ticks, legends.

        A twin score axes shares the losses' legend; a score axes of its own
        (``score_ax``) gets its own x label, and a legend if it has names.
        """
        from matplotlib.ticker import MaxNLocator

        ax.set_xlabel(self.xlabel)
        ax.set_ylabel(self.ylabel)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if log_scale:
            ax.set_yscale("log")
        handles, labels = ax.get_legend_handles_labels()
        score_ax = self.ax_score_
        if score_ax is not None:
            score_ax.set_ylabel(self.score_name)
            if twin:
                more = score_ax.get_legend_handles_labels()
                handles, labels = handles + more[0], labels + more[1]
                # The losses' axes above the twin, so that the legend is too.
                ax.set_zorder(score_ax.get_zorder() + 1)
                ax.patch.set_visible(False)
            else:
                score_ax.set_xlabel(self.xlabel)
                score_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
                if self.names is not None:
                    score_ax.legend()
        if handles and twin and score_ax is not None:
            # "best" would only avoid the losses' lines, not the scores on the
            # twin axes: above the axes, the legend covers no curve.
            ax.legend(
                handles,
                labels,
                loc="lower left",
                bbox_to_anchor=(0, 1.01),
                ncol=2,
                borderaxespad=0,
                frameon=False,
                fontsize="small",
            )
        elif handles:
            ax.legend(handles, labels)

    @classmethod
    def from_estimator(
        cls,
        estimator,
        *,
        ax=None,
        names=None,
        validation=True,
        scores=True,
        score_ax=None,
        log_scale=False,
        line_kw=None,
        validation_line_kw=None,
        score_line_kw=None,
    ):
        """Draw the training curves of one fitted estimator, or of several.

        Parameters
        ----------
        estimator : estimator, list of estimators or dict of str to estimator
            Fitted estimators that record ``loss_curve_`` (and, with early
            stopping, ``validation_loss_curve_`` and ``validation_scores_``):
            skcourse's estimators, scikit-learn's MLPs (not with
            ``solver="lbfgs"``, which records no curve), or Pipelines that
            end with one. Several are drawn side by side on one axes; a dict
            names them by its keys.

        ax : matplotlib Axes, default=None
            Axes to draw on. None: a new figure and axes.

        names : list of str, default=None
            The names in the legend. None: the keys of a dict, else the class
            names of several estimators (numbered if they repeat), and no name
            for a single one.

        validation, scores, score_ax, log_scale, line_kw, validation_line_kw, \
score_line_kw
            As in :meth:`plot`.

        Returns
        -------
        display : LossCurveDisplay
            The display, drawn. Its ``xlabel`` is "iteration" when every
            estimator was trained by L-BFGS, "epoch" when none was.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If an estimator is not fitted.
        ValueError
            If an estimator records no ``loss_curve_``.
        """
        if isinstance(estimator, Mapping):
            names = list(estimator) if names is None else names
            estimators = list(estimator.values())
        elif isinstance(estimator, list | tuple):
            estimators = list(estimator)
        else:
            estimators = [estimator]
        if not estimators:
            raise ValueError("from_estimator needs at least one estimator.")
        curves = [_curves_of(est) for est in estimators]
        finals = [_final_estimator(est) for est in estimators]
        if names is None and len(estimators) > 1:
            names = _default_names(finals)
        steps = {_step_name(est) for est in finals}
        xlabel = steps.pop() if len(steps) == 1 else "epoch (L-BFGS: iteration)"
        display = cls(
            [training for training, _, _ in curves],
            validation_loss_curves=[loss for _, loss, _ in curves],
            validation_scores=[score for _, _, score in curves],
            names=names,
            xlabel=xlabel,
            score_name=_score_name(finals),
        )
        return display.plot(
            ax,
            validation=validation,
            scores=scores,
            score_ax=score_ax,
            log_scale=log_scale,
            line_kw=line_kw,
            validation_line_kw=validation_line_kw,
            score_line_kw=score_line_kw,
        )


def _epochs(curve, training):
    """The x of ``curve``: epochs 1, 2, ..., aligned with the end of ``training``."""
    return np.arange(len(training) - len(curve) + 1, len(training) + 1)


def _label(name, what, one_unnamed_run):
    """A validation line's legend label: the run's name and what it shows."""
    if one_unnamed_run:
        return what
    return None if name is None else f"{name}, {what}"


def _default_names(estimators):
    """The class names, numbered where several estimators share one."""
    names = [type(est).__name__ for est in estimators]
    if len(set(names)) == len(names):
        return names
    return [f"{name} {i}" for i, name in enumerate(names, start=1)]
