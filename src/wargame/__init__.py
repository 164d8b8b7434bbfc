"""wargame: a terminal tabletop exercise on the US–Russia talks over the war in Ukraine."""

__version__ = "0.1.0"
