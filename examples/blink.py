# Blink LED1: on for half a second, off for half a second. Try it on the simulator:
#   espy run examples/blink.py --board puck --virtual-clock
# The pin trace after the output shows LED1 toggling every 0.5 s of board time.
from machine import Pin
import time


def blink(led, times, period=1.0):
    """Toggle `led` 2 * times, half a period apart; returns how many changes it made."""
    for _ in range(2 * times):
        led.toggle()
        time.sleep(period / 2)
    return 2 * times


if __name__ == "__main__":
    led = Pin("LED1", Pin.OUT)
    led.off()
    blink(led, 3)
    print("blinked 3 times")
