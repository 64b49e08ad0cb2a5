# asyncio for espy: a small single-threaded event loop (run, sleep, sleep_ms, create_task, gather, wait_for,
# Event, Lock, Task.cancel). When every task is waiting, the loop calls time.sleep, so the VM suspends and the
# board's own event loop stays free. Frozen into the runtime at build time.
import time


class CancelledError(BaseException):
    pass


class TimeoutError(Exception):
    pass


class _Sleep:
    # what a task yields to wait: the loop wakes it at `until` (ms ticks)
    def __init__(self, ms):
        self.ms = ms

    def __await__(self):
        yield self

    __iter__ = __await__


class _Wait:
    # what a task yields to wait without a deadline (for an event, a lock or another task)
    def __await__(self):
        yield self

    __iter__ = __await__


class Task:
    def __init__(self, coro):
        self.coro = coro
        self.done = False
        self.value = None
        self.exc = None
        self.waiters = []
        self._cancel = False

    def cancel(self):
        if self.done:
            return False
        self._cancel = True
        _loop.wake(self)
        return True

    def cancelled(self):
        return self.done and isinstance(self.exc, CancelledError)

    def result(self):
        if self.exc is not None:
            raise self.exc
        return self.value

    def __await__(self):
        while not self.done:
            self.waiters.append(_loop.current)
            yield _WAIT
        if self.exc is not None:
            raise self.exc
        return self.value

    __iter__ = __await__


_WAIT = _Wait()


class _Loop:
    def __init__(self):
        self.ready = []
        self.sleeping = []  # (wake time in ms, task)
        self.current = None

    def add(self, task):
        self.ready.append(task)

    def wake(self, task):
        for i in range(len(self.sleeping)):
            if self.sleeping[i][1] is task:
                del self.sleeping[i]
                break
        if task not in self.ready and not task.done:
            self.ready.append(task)

    def step(self, task):
        self.current = task
        try:
            if task._cancel:
                task._cancel = False
                r = task.coro.throw(CancelledError())
            else:
                r = task.coro.send(None)
        except StopIteration as e:
            self.finish(task, e.value, None)
            return
        except BaseException as e:
            self.finish(task, None, e)
            if not isinstance(e, (Exception, CancelledError)):
                raise
            return
        finally:
            self.current = None
        if isinstance(r, _Sleep):
            self.sleeping.append((time.ticks_add(time.ticks_ms(), int(r.ms)), task))
        elif r is None:
            self.ready.append(task)  # a bare yield: run again soon

    def finish(self, task, value, exc):
        task.done = True
        task.value = value
        task.exc = exc
        for w in task.waiters:
            self.wake(w)
        task.waiters = []

    def run_until(self, main):
        while not main.done:
            if self.ready:
                ready, self.ready = self.ready, []
                for t in ready:
                    if not t.done:
                        self.step(t)
                continue
            if not self.sleeping:
                break
            # wake the earliest sleeper; sleep (suspending the VM) until then
            now = time.ticks_ms()
            self.sleeping.sort(key=lambda s: time.ticks_diff(s[0], now))
            when, t = self.sleeping[0]
            delay = time.ticks_diff(when, now)
            if delay > 0:
                time.sleep_ms(delay)
            self.sleeping.pop(0)
            self.ready.append(t)


_loop = _Loop()


def sleep(t):
    return _Sleep(t * 1000)


def sleep_ms(t):
    return _Sleep(t)


async def _await(aw):
    return await aw


def create_task(coro):
    # a plain awaitable (asyncio.sleep(1)) becomes a task through a coroutine that awaits it
    if not hasattr(coro, "send"):
        coro = _await(coro)
    t = Task(coro)
    _loop.add(t)
    return t


def current_task():
    return _loop.current


async def gather(*aws, return_exceptions=False):
    tasks = [a if isinstance(a, Task) else create_task(a) for a in aws]
    out = []
    for t in tasks:
        try:
            out.append(await t)
        except Exception as e:
            if not return_exceptions:
                raise
            out.append(e)
    return out


async def wait_for(aw, timeout):
    t = aw if isinstance(aw, Task) else create_task(aw)
    if timeout is None:
        return await t
    deadline = time.ticks_add(time.ticks_ms(), int(timeout * 1000))
    while not t.done:
        if time.ticks_diff(deadline, time.ticks_ms()) <= 0:
            t.cancel()
            raise TimeoutError()
        await sleep_ms(min(10, max(1, time.ticks_diff(deadline, time.ticks_ms()))))
    return t.result()


class Event:
    def __init__(self):
        self.state = False
        self.waiting = []

    def set(self):
        self.state = True
        for t in self.waiting:
            _loop.wake(t)
        self.waiting = []

    def clear(self):
        self.state = False

    def is_set(self):
        return self.state

    async def wait(self):
        while not self.state:
            self.waiting.append(_loop.current)
            await _WAIT
        return True


class Lock:
    def __init__(self):
        self.state = False
        self.waiting = []

    def locked(self):
        return self.state

    async def acquire(self):
        while self.state:
            self.waiting.append(_loop.current)
            await _WAIT
        self.state = True
        return True

    def release(self):
        if not self.state:
            raise RuntimeError("Lock not acquired")
        self.state = False
        if self.waiting:
            _loop.wake(self.waiting.pop(0))

    async def __aenter__(self):
        return await self.acquire()

    async def __aexit__(self, exc_type, exc, tb):
        self.release()


def run(main):
    task = create_task(main)
    _loop.run_until(task)
    return task.result()


def get_event_loop():
    return _loop
