"""The yardstick for start-up and memory: the barest Textual app (Header, Label, Footer).

`bench/bench_startup.py` and `bench/bench_memory.py` start it as a whole process,
the same way as `python -m wargame play`, so the ratio shows what the game adds
on top of Textual itself.

    TEXTUAL_DRIVER=textual.drivers.headless_driver:HeadlessDriver TEXTUAL_PRESS=ctrl+q python bench/bare_app.py
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label


class BareApp(App[None]):
    """Header, Label, Footer, and the ctrl+q to quit that every Textual app has."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("A bare Textual app.")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
