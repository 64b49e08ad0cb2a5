# Tests for thermo.py, runnable on the simulator:  espy test examples/tests
import unittest
from machine import I2C
import thermo


class FakeI2C:
    """Stands in for an I2C bus: answers every register read with fixed bytes."""

    def __init__(self, data):
        self.data = data

    def readfrom_mem(self, addr, reg, n):
        return self.data[:n]


class TestConversion(unittest.TestCase):
    def test_positive(self):
        self.assertEqual(thermo.to_celsius(bytes([0x19, 0x00])), 25.0)

    def test_fraction(self):
        self.assertAlmostEqual(thermo.to_celsius(bytes([0x01, 0x40])), 1.25)

    def test_negative(self):
        self.assertEqual(thermo.to_celsius(bytes([0xFF, 0x00])), -1.0)

    def test_fake_bus(self):
        self.assertEqual(thermo.read_temperature(FakeI2C(bytes([0x0A, 0x80]))), 10.5)


class TestSensor(unittest.TestCase):
    def setUp(self):
        self.i2c = I2C(1)

    def test_found(self):
        self.assertIn(thermo.ADDR, self.i2c.scan())

    def test_room_temperature(self):
        t = thermo.read_temperature(self.i2c)
        self.assertTrue(-40 <= t <= 125, t)

    def test_missing_device(self):
        with self.assertRaises(OSError):
            self.i2c.readfrom_mem(0x10, 0, 2)


if __name__ == "__main__":
    unittest.main()
