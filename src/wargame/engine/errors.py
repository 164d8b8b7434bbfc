"""Errors the engine raises for actions and setups it refuses."""


class IllegalAction(ValueError):
    """An action that the rules do not allow now; the message says why."""


class SetupError(ValueError):
    """A game setup that cannot be played; the message says why."""
