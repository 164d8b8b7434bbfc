"""The game's own random generator: splitmix64 over one integer held in the state.

One integer is trivially saved, compared and replayed, which Python's
`random.Random` state is not. Nothing in the engine draws randomness from
anywhere else, so the same seed and the same actions give the same game.
"""

from __future__ import annotations

from typing import Sequence, TypeVar

_MASK = (1 << 64) - 1
T = TypeVar("T")


def seed_state(seed: int) -> int:
    return seed & _MASK


def derive_seed(seed: int, index: int) -> int:
    """A seed for game `index` of a run started with `seed`, independent of order."""
    _, value = next_u64((seed * 0x9E3779B97F4A7C15 + index * 0xD1B54A32D192ED03) & _MASK)
    return value % 10**9


def next_u64(state: int) -> tuple[int, int]:
    state = (state + 0x9E3779B97F4A7C15) & _MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return state, z ^ (z >> 31)


class Draw:
    """Draws from a state's generator and writes the advanced generator back."""

    __slots__ = ("state",)

    def __init__(self, game_state) -> None:
        self.state = game_state

    def random(self) -> float:
        self.state.rng, value = next_u64(self.state.rng)
        return (value >> 11) / float(1 << 53)

    def below(self, n: int) -> int:
        return int(self.random() * n)

    def shuffle(self, items: list) -> None:
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]

    def weighted(self, items: Sequence[T], weights: Sequence[int]) -> T:
        total = sum(weights)
        pick = self.random() * total
        for item, w in zip(items, weights):
            pick -= w
            if pick < 0:
                return item
        return items[-1]
