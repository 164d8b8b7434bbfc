"""Errors the engine raises for actions and setups it refuses."""


class IllegalAction(ValueError):
    """An action that the rules do not allow now; the message says why."""


class SetupError(ValueError):
    """A game setup that cannot be played; the message says why."""


class ReplayError(IllegalAction):
    """An action of a log that cannot be replayed: which one (`index`, from 1), and why (`cause`)."""

    def __init__(self, index: int, action: object, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.index = index
        self.action = action
        self.cause = cause
