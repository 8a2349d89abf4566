"""LossCurveDisplay: the artists hold the estimators' curves."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skcourse.inspection import LossCurveDisplay
from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier, MLPRegressor

matplotlib = pytest.importorskip("matplotlib")


@pytest.fixture
def pyplot():
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


@pytest.fixture(scope="module")
def iris_fits(request):
    """SoftmaxRegression on iris with each solver, early stopping for two."""
    X, y = request.getfixturevalue("iris")
    return {
        solver: SoftmaxRegression(
            solver=solver, early_stopping=solver in ("sgd", "asgd"), random_state=0
        ).fit(X, y)
        for solver in ("lbfgs", "gd", "sgd", "asgd")
    }


def test_one_estimator_lines_hold_its_curves(pyplot, iris_fits):
    clf = iris_fits["sgd"]
    display = LossCurveDisplay.from_estimator(clf)

    (line,) = display.lines_
    epochs = np.arange(1, clf.n_iter_ + 1)
    np.testing.assert_array_equal(line.get_xdata(), epochs)
    np.testing.assert_allclose(line.get_ydata(), clf.loss_curve_)
    (validation,) = display.validation_lines_
    np.testing.assert_allclose(validation.get_ydata(), clf.validation_loss_curve_)
    np.testing.assert_array_equal(validation.get_xdata(), epochs)
    (score,) = display.score_lines_
    np.testing.assert_allclose(score.get_ydata(), clf.validation_scores_)
    # Same run, same colour; validation dashed, scores dotted on a twin axes.
    assert validation.get_color() == line.get_color() == score.get_color()
    assert (line.get_linestyle(), validation.get_linestyle()) == ("-", "--")
    assert score.get_linestyle() == ":"
    assert score.axes is display.ax_score_ is not display.ax_
    assert display.ax_score_.get_ylabel() == "validation accuracy"
    assert display.ax_.get_xlabel() == "epoch"
    assert display.figure_ is display.ax_.figure
    legend = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert legend == ["training loss", "validation loss", "validation accuracy"]


def test_legend_covers_no_curve_of_the_twin_axes(pyplot, iris_fits):
    """The scores on the twin axes are not seen by the legend's "best"
    placement, which put it over the validation scores: it goes above."""
    display = LossCurveDisplay.from_estimator([iris_fits["sgd"], iris_fits["asgd"]])
    display.figure_.canvas.draw()
    legend = display.ax_.get_legend().get_window_extent()
    assert legend.y0 >= display.ax_.get_window_extent().y1
    # Without scores there is no twin, and "best" sees every curve.
    display = LossCurveDisplay.from_estimator(iris_fits["sgd"], scores=False)
    display.figure_.canvas.draw()
    legend = display.ax_.get_legend().get_window_extent()
    assert display.ax_.get_window_extent().contains(*legend.corners().mean(axis=0))


def test_several_estimators_one_line_each_named(pyplot, iris_fits):
    display = LossCurveDisplay.from_estimator(iris_fits)

    assert [line.get_label() for line in display.lines_] == list(iris_fits)
    for line, clf in zip(display.lines_, iris_fits.values(), strict=True):
        np.testing.assert_allclose(line.get_ydata(), clf.loss_curve_)
    # Validation lines only for the two runs with early stopping.
    has_validation = [line is not None for line in display.validation_lines_]
    assert has_validation == [False, False, True, True]
    assert display.validation_lines_[2].get_label() == "sgd, validation loss"
    colors = [line.get_color() for line in display.lines_]
    assert len(set(colors)) == 4
    assert display.validation_lines_[3].get_color() == colors[3]
    legend = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert legend[:3] == ["lbfgs", "gd", "sgd"]
    assert {"asgd", "asgd, validation loss", "asgd, validation accuracy"} <= set(legend)
    # L-BFGS counts iterations, the others epochs.
    assert display.ax_.get_xlabel() == "epoch (L-BFGS: iteration)"


def test_list_names_and_default_names(pyplot, iris_fits):
    fits = [iris_fits["gd"], iris_fits["sgd"]]
    named = LossCurveDisplay.from_estimator(fits, names=["full batch", "minibatch"])
    assert [line.get_label() for line in named.lines_] == ["full batch", "minibatch"]
    default = LossCurveDisplay.from_estimator(fits)
    labels = [line.get_label() for line in default.lines_]
    assert labels == ["SoftmaxRegression 1", "SoftmaxRegression 2"]


def test_lbfgs_alone_counts_iterations(pyplot, iris_fits):
    display = LossCurveDisplay.from_estimator(iris_fits["lbfgs"])
    assert display.ax_.get_xlabel() == "iteration"
    assert display.validation_lines_ == [None] and display.score_lines_ == [None]
    assert display.ax_score_ is None


def test_pipeline_uses_final_step(pyplot, iris):
    X, y = iris
    pipe = make_pipeline(
        StandardScaler(), MLPClassifier(hidden_layer_sizes=(5,), random_state=0)
    )
    pipe.set_params(mlpclassifier__max_iter=30, mlpclassifier__early_stopping=True)
    pipe.fit(X, y)
    mlp = pipe[-1]
    display = LossCurveDisplay.from_estimator(pipe)
    np.testing.assert_allclose(display.lines_[0].get_ydata(), mlp.loss_curve_)
    np.testing.assert_allclose(
        display.validation_lines_[0].get_ydata(), mlp.validation_loss_curve_
    )
    np.testing.assert_allclose(
        display.score_lines_[0].get_ydata(), mlp.validation_scores_
    )


def test_scikit_learn_mlps(pyplot, iris):
    X, y = iris
    clf = SklearnMLPClassifier(
        hidden_layer_sizes=(5,), early_stopping=True, max_iter=50, random_state=0
    ).fit(X, y)
    reg = SklearnMLPRegressor(hidden_layer_sizes=(5,), max_iter=500, random_state=0)
    reg.fit(X[:, :3], X[:, 3])
    display = LossCurveDisplay.from_estimator({"classifier": clf, "regressor": reg})

    np.testing.assert_allclose(display.lines_[0].get_ydata(), clf.loss_curve_)
    np.testing.assert_allclose(display.lines_[1].get_ydata(), reg.loss_curve_)
    # scikit-learn records validation scores, not losses; a regressor without
    # early stopping has validation_scores_ = None.
    assert display.validation_lines_ == [None, None]
    np.testing.assert_allclose(
        display.score_lines_[0].get_ydata(), clf.validation_scores_
    )
    assert display.score_lines_[1] is None
    assert display.ax_score_.get_ylabel() == "validation score"


def test_regressor_scores_are_r2(pyplot):
    x = np.linspace(-1, 1, 200)[:, None]
    reg = MLPRegressor(
        hidden_layer_sizes=(10,),
        early_stopping=True,
        learning_rate_init=0.05,
        n_iter_no_change=3,
        max_iter=500,
        random_state=0,
    ).fit(x, x[:, 0] ** 2)
    display = LossCurveDisplay.from_estimator(reg)
    assert display.ax_score_.get_ylabel() == "validation $R^2$"
    np.testing.assert_allclose(
        display.score_lines_[0].get_ydata(), reg.validation_scores_
    )


def test_ax_and_score_ax_respected(pyplot, iris_fits):
    fig, (ax, ax_score) = pyplot.subplots(2, 1)
    display = LossCurveDisplay.from_estimator(
        iris_fits["asgd"], ax=ax, score_ax=ax_score
    )
    assert display.ax_ is ax and display.figure_ is fig
    assert display.ax_score_ is ax_score
    assert display.score_lines_[0] in ax_score.lines
    assert display.lines_[0] in ax.lines and display.validation_lines_[0] in ax.lines
    assert len(fig.axes) == 2  # no twin axes made
    assert ax_score.get_xlabel() == "epoch"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["training loss", "validation loss"]


def test_plot_options(pyplot, iris_fits):
    clf = iris_fits["asgd"]
    display = LossCurveDisplay.from_estimator(
        clf, validation=False, scores=False, log_scale=True, line_kw={"color": "k"}
    )
    assert display.validation_lines_ == [None] and display.score_lines_ == [None]
    assert display.ax_score_ is None
    assert display.ax_.get_yscale() == "log"
    assert display.lines_[0].get_color() == "k"


def test_plot_twice(pyplot, iris_fits):
    clf = iris_fits["sgd"]
    display = LossCurveDisplay.from_estimator(clf)
    first_ax = display.ax_
    display.plot()
    assert display.ax_ is not first_ax
    assert len(display.lines_) == 1
    np.testing.assert_allclose(display.lines_[0].get_ydata(), clf.loss_curve_)
    _, ax = pyplot.subplots()
    display.plot(ax=ax, scores=False)
    assert display.ax_ is ax and display.score_lines_ == [None]


def test_constructor_curves(pyplot):
    # A flat sequence is one run; a shorter validation curve ends with it.
    display = LossCurveDisplay(
        [3.0, 2.0, 1.5, 1.2],
        validation_loss_curves=[[2.2, 1.9]],
        names=["run"],
        xlabel="iteration",
        ylabel="objective",
    ).plot()
    np.testing.assert_array_equal(display.lines_[0].get_xdata(), [1, 2, 3, 4])
    np.testing.assert_array_equal(display.validation_lines_[0].get_xdata(), [3, 4])
    assert display.ax_.get_xlabel() == "iteration"
    assert display.ax_.get_ylabel() == "objective"
    assert display.lines_[0].get_label() == "run"


def test_perceptron_curve(pyplot, iris):
    X, y = iris
    clf = Perceptron(random_state=0).fit(X, y)
    display = LossCurveDisplay.from_estimator(clf)
    np.testing.assert_allclose(display.lines_[0].get_ydata(), clf.loss_curve_)


def test_unfitted_estimator(pyplot):
    with pytest.raises(NotFittedError):
        LossCurveDisplay.from_estimator(SoftmaxRegression())
    with pytest.raises(NotFittedError):
        LossCurveDisplay.from_estimator(make_pipeline(StandardScaler(), Perceptron()))


def test_estimator_without_loss_curve(pyplot, iris):
    X, y = iris
    lbfgs = SklearnMLPClassifier(
        hidden_layer_sizes=(3,), solver="lbfgs", max_iter=5, random_state=0
    )
    with pytest.warns(Warning):  # five iterations: not converged
        lbfgs.fit(X, y)
    with pytest.raises(ValueError, match="MLPClassifier has no loss_curve_"):
        LossCurveDisplay.from_estimator(lbfgs)
    scaler = StandardScaler().fit(X)
    with pytest.raises(ValueError, match="StandardScaler has no loss_curve_"):
        LossCurveDisplay.from_estimator(scaler)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"loss_curves": []}, "at least one curve"),
        ({"loss_curves": [[1.0, 0.5], [[1.0]]]}, "1-D sequence"),
        ({"loss_curves": [[1.0, 0.5]], "names": ["a", "b"]}, "names has 2 entries"),
        (
            {"loss_curves": [[1.0]], "validation_scores": [[0.5, 0.6]]},
            "longer than its training curve",
        ),
    ],
)
def test_bad_curves(pyplot, kwargs, match):
    with pytest.raises(ValueError, match=match):
        LossCurveDisplay(**kwargs).plot()


def test_no_estimators():
    with pytest.raises(ValueError, match="at least one estimator"):
        LossCurveDisplay.from_estimator([])


def test_matplotlib_imported_only_when_drawing():
    import subprocess
    import sys

    code = (
        "import sys, skcourse.inspection; "
        "assert 'matplotlib' not in sys.modules, 'imported at import time'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
