"""Errors meant for the person at the keyboard: one clear message, exit status 1."""


class UserError(Exception):
    """A problem in what the user asked for (a file, an argument); printed as is."""
