# Tests for blink.py. The simulator's virtual clock makes the sleeps cost no wall time.
import unittest
import time
from machine import Pin
import blink


class TestBlink(unittest.TestCase):
    def setUp(self):
        self.led = Pin("LED1", Pin.OUT)
        self.led.off()

    def tearDown(self):
        self.led.off()

    def test_ends_where_it_started(self):
        self.assertEqual(blink.blink(self.led, 2), 4)
        self.assertEqual(self.led.value(), 0)

    def test_odd_changes_leave_it_on(self):
        self.led.toggle()
        self.assertEqual(self.led.value(), 1)

    def test_takes_its_time(self):
        t0 = time.ticks_ms()
        blink.blink(self.led, 5, period=0.2)
        self.assertGreaterEqual(time.ticks_diff(time.ticks_ms(), t0), 1000)


if __name__ == "__main__":
    unittest.main()
