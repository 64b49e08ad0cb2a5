# Read a TMP102 temperature sensor over I2C (the simulator has one at address 0x48).
#   espy run examples/thermo.py --board pico
from machine import I2C

ADDR = 0x48


def to_celsius(data):
    """TMP102's temperature register (2 bytes, 12 bits, 1/16 °C) as °C."""
    raw = (data[0] << 4) | (data[1] >> 4)
    if raw & 0x800:  # negative: two's complement in 12 bits
        raw -= 1 << 12
    return raw / 16


def read_temperature(i2c):
    return to_celsius(i2c.readfrom_mem(ADDR, 0, 2))


if __name__ == "__main__":
    i2c = I2C(1)
    print("devices:", [hex(a) for a in i2c.scan()])
    print("temperature: %.2f C" % read_temperature(i2c))
