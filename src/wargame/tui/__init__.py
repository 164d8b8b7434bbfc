"""The Textual app: title, setup, the board, hot-seat hand-offs, decisions and game over.

Only this package imports Textual. It shows the engine's state and sends
every decision through `wargame.engine.apply_action`; the rules live in the
engine, never here.
"""
