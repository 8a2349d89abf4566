"""scikit-learn's callbacks (``sklearn.callback``, scikit-learn >= 1.9) for
the training loop: the one module that speaks to the estimator during
training, through scikit-learn's callback context."""


class Callbacks:
    """scikit-learn's ``sklearn.callback`` hooks (scikit-learn >= 1.9), else nothing.

    ``fit`` is the root task and each epoch a subtask, so that ``ProgressBar``
    shows one bar per fit, also inside a ``GridSearchCV``.
    """

    def __init__(self, est, X, y, max_iter, fitted_attributes, enabled):
        self.est, self.X, self.y = est, X, y
        self.fitted_attributes = fitted_attributes
        self.context = None
        # Epochs are tasks only for an estimator with callbacks (its own or a
        # meta-estimator's, propagated to it), as scikit-learn's
        # LogisticRegression decides for its iterations: with none, no hook
        # would hear them, and their subtasks cost more than a small epoch.
        self.epochs = hasattr(est, "_skl_callbacks")
        if enabled and hasattr(est, "_init_callback_context"):
            self.context = est._init_callback_context(max_subtasks=max_iter)
            self.context.call_on_fit_task_begin(estimator=est, X=X, y=y)

    def end_task(self, context, params):
        return context.call_on_fit_task_end(
            estimator=self.est,
            X=self.X,
            y=self.y,
            reconstruction_attributes=lambda: self.fitted_attributes(params),
        )

    def end_epoch(self, params):
        """Report a finished epoch; True if a callback asks to stop."""
        if self.context is None or not self.epochs:
            return False
        # The loop learns of an epoch only when it ends (L-BFGS runs inside
        # scipy), so the epoch's task begins and ends here.
        epoch = self.context.subcontext(task_name="epoch")
        epoch.call_on_fit_task_begin(estimator=self.est, X=self.X, y=self.y)
        return self.end_task(epoch, params)

    def end_fit(self, params):
        if self.context is not None:
            self.end_task(self.context, params)
