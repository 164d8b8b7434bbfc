"""Small board widgets, each with one job; they show a state and never change it."""

from .capital import CapitalTable
from .hand import FittedText, HandList, HandPanel
from .log import LogView
from .status import CeasefireStatus, StatusBar
from .values import MeterBar, TrackBar, ValueBar

__all__ = [
    "CapitalTable",
    "CeasefireStatus",
    "FittedText",
    "HandList",
    "HandPanel",
    "LogView",
    "MeterBar",
    "StatusBar",
    "TrackBar",
    "ValueBar",
]
