"""Whether a widget may still draw into its children."""

from textual.widget import Widget


def can_draw(widget: Widget) -> bool:
    """False before the widget is attached, or once the app has begun to quit.

    Textual hands a binding's first value over with `call_later`, so a key that quits
    while the board is still mounting (ctrl+q, or a signal, at start-up) delivers it
    after the children are gone; drawing then would raise instead of quitting.
    """
    return widget.is_mounted and widget.is_attached and widget.app.return_code is None
