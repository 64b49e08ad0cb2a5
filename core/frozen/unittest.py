# unittest for espy: the TestCase API MicroPython's unittest offers (a subset of CPython's), test discovery in a
# module, and a summary with an exit status. Frozen into the runtime at build time.
import sys


class SkipTest(Exception):
    pass


class AssertRaisesContext:
    def __init__(self, exc):
        self.expected = exc
        self.exception = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, tb):
        if exc_type is None:
            name = getattr(self.expected, "__name__", str(self.expected))
            raise AssertionError("%s not raised" % name)
        if issubclass(exc_type, self.expected):
            self.exception = exc_value
            return True
        return False


class TestCase:
    def __init__(self, name="runTest"):
        self._name = name

    def setUp(self):
        pass

    def tearDown(self):
        pass

    @classmethod
    def setUpClass(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        pass

    def fail(self, msg=""):
        raise AssertionError(msg)

    def assertEqual(self, x, y, msg=""):
        if not x == y:
            raise AssertionError(msg or "%r != %r" % (x, y))

    def assertNotEqual(self, x, y, msg=""):
        if not x != y:
            raise AssertionError(msg or "%r == %r" % (x, y))

    def assertLess(self, x, y, msg=None):
        if not x < y:
            raise AssertionError(msg or "%r not less than %r" % (x, y))

    def assertLessEqual(self, x, y, msg=None):
        if not x <= y:
            raise AssertionError(msg or "%r not less than or equal to %r" % (x, y))

    def assertGreater(self, x, y, msg=None):
        if not x > y:
            raise AssertionError(msg or "%r not greater than %r" % (x, y))

    def assertGreaterEqual(self, x, y, msg=None):
        if not x >= y:
            raise AssertionError(msg or "%r not greater than or equal to %r" % (x, y))

    def assertAlmostEqual(self, x, y, places=None, msg="", delta=None):
        if x == y:
            return
        if delta is not None:
            if abs(x - y) <= delta:
                return
            raise AssertionError(msg or "%r != %r within %r delta" % (x, y, delta))
        if places is None:
            places = 7
        if round(abs(y - x), places) == 0:
            return
        raise AssertionError(msg or "%r != %r within %r places" % (x, y, places))

    def assertNotAlmostEqual(self, x, y, places=None, msg="", delta=None):
        if delta is not None:
            if not (x == y) and abs(x - y) > delta:
                return
            raise AssertionError(msg or "%r == %r within %r delta" % (x, y, delta))
        if places is None:
            places = 7
        if not (x == y) and round(abs(y - x), places) != 0:
            return
        raise AssertionError(msg or "%r == %r within %r places" % (x, y, places))

    def assertIs(self, x, y, msg=""):
        if x is not y:
            raise AssertionError(msg or "%r is not %r" % (x, y))

    def assertIsNot(self, x, y, msg=""):
        if x is y:
            raise AssertionError(msg or "%r is %r" % (x, y))

    def assertIsNone(self, x, msg=""):
        if x is not None:
            raise AssertionError(msg or "%r is not None" % x)

    def assertIsNotNone(self, x, msg=""):
        if x is None:
            raise AssertionError(msg or "%r is None" % x)

    def assertTrue(self, x, msg=""):
        if not x:
            raise AssertionError(msg or "%r is not true" % x)

    def assertFalse(self, x, msg=""):
        if x:
            raise AssertionError(msg or "%r is not false" % x)

    def assertIn(self, x, y, msg=""):
        if x not in y:
            raise AssertionError(msg or "%r not found in %r" % (x, y))

    def assertNotIn(self, x, y, msg=""):
        if x in y:
            raise AssertionError(msg or "%r unexpectedly found in %r" % (x, y))

    def assertIsInstance(self, x, y, msg=""):
        if not isinstance(x, y):
            raise AssertionError(msg or "%r is not an instance of %r" % (x, y))

    def assertNotIsInstance(self, x, y, msg=""):
        if isinstance(x, y):
            raise AssertionError(msg or "%r is an instance of %r" % (x, y))

    def assertRaises(self, exc, func=None, *args, **kwargs):
        ctx = AssertRaisesContext(exc)
        if func is None:
            return ctx
        with ctx:
            func(*args, **kwargs)

    def assertWarns(self, warn):
        return None

    def skipTest(self, reason):
        raise SkipTest(reason)


def skip(msg):
    def _decor(fun):
        def _inner(self):
            raise SkipTest(msg)
        return _inner
    return _decor


def skipIf(cond, msg):
    if not cond:
        return lambda x: x
    return skip(msg)


def skipUnless(cond, msg):
    if cond:
        return lambda x: x
    return skip(msg)


def expectedFailure(test):
    def _inner(self):
        try:
            test(self)
        except AssertionError:
            return
        raise AssertionError("unexpected success")
    return _inner


class TestResult:
    def __init__(self):
        self.errorsNum = 0
        self.failuresNum = 0
        self.skippedNum = 0
        self.testsRun = 0
        self.errors = []
        self.failures = []
        self.skipped = []

    def wasSuccessful(self):
        return self.errorsNum == 0 and self.failuresNum == 0


def _run_class(cls, result):
    try:
        cls.setUpClass()
    except SkipTest as e:
        result.skippedNum += 1
        return
    names = sorted(n for n in dir(cls) if n.startswith("test"))
    for name in names:
        o = cls(name)
        m = getattr(o, name)
        if not callable(m):
            continue
        result.testsRun += 1
        print("%s (%s) ..." % (name, cls.__qualname__), end="")
        try:
            o.setUp()
            try:
                m()
            finally:
                o.tearDown()
            print(" ok")
        except SkipTest as e:
            print(" skipped:", e.args[0])
            result.skippedNum += 1
            result.skipped.append((name, cls, e.args[0]))
        except AssertionError as e:
            print(" FAIL")
            result.failuresNum += 1
            result.failures.append((name, cls, e))
        except Exception as e:
            print(" ERROR")
            result.errorsNum += 1
            result.errors.append((name, cls, e))
    cls.tearDownClass()


def _report(result):
    for kind, items in (("ERROR", result.errors), ("FAIL", result.failures)):
        for name, cls, e in items:
            print("=" * 70)
            print("%s: %s (%s)" % (kind, name, cls.__qualname__))
            print("-" * 70)
            sys.print_exception(e)
    print("-" * 70)
    print("Ran %d tests\n" % result.testsRun)
    if result.wasSuccessful():
        if result.skippedNum:
            print("OK (skipped=%d)" % result.skippedNum)
        else:
            print("OK")
    else:
        parts = []
        if result.failuresNum:
            parts.append("failures=%d" % result.failuresNum)
        if result.errorsNum:
            parts.append("errors=%d" % result.errorsNum)
        print("FAILED (%s)" % ", ".join(parts))


class TestProgram:
    def __init__(self, result):
        self.result = result


def main(module="__main__", exit=True):
    if isinstance(module, str):
        module = sys.modules[module]
    result = TestResult()
    for name in dir(module):
        c = getattr(module, name)
        if isinstance(c, type) and issubclass(c, TestCase) and c is not TestCase:
            _run_class(c, result)
    _report(result)
    if exit:
        sys.exit(0 if result.wasSuccessful() else 1)
    return TestProgram(result)
