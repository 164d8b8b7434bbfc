"""The app's screens: title, setup, board, hand-off, decisions, game over, help."""
