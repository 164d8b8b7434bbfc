"""The round clock's countdown, driven by given seconds: it counts, holds when paused, rings once, restarts."""

from wargame.roundclock import Countdown, mm_ss


def test_counts_down_holds_while_paused_and_rings_once():
    clock = Countdown(1, now=0.0)
    assert clock.new_round(1, 0.0) and not clock.new_round(1, 5.0)
    assert clock.text(paused=False) == "01:00"
    assert clock.tick(30.0, paused=False, over=False) is False
    assert clock.text(paused=False) == "00:30" and clock.face(paused=False, facilitated=False).low
    clock.tick(50.0, paused=True, over=False)
    assert clock.text(paused=True) == "paused 00:30"
    assert clock.tick(81.0, paused=False, over=False) is True
    assert clock.expired and clock.text(paused=False) == "time is up"
    assert clock.tick(200.0, paused=False, over=False) is False  # rings once


def test_a_new_round_or_setting_restarts_it_and_off_is_hidden_unless_facilitated():
    clock = Countdown(2, now=0.0)
    clock.new_round(1, 0.0)
    clock.tick(119.5, paused=False, over=False)
    assert clock.text(paused=False) == "00:01"
    assert clock.new_round(2, 120.0) and clock.text(paused=False) == "02:00"
    clock.set_minutes(0, 130.0)
    assert clock.text(paused=False) == "clock off"
    assert not clock.face(paused=False, facilitated=False).shown
    assert clock.face(paused=False, facilitated=True).shown
    assert mm_ss(59.2) == "01:00" and mm_ss(-3) == "00:00"
