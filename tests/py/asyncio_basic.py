# asyncio: tasks, gather, events and timeouts. Interleavings depend on timing, so what is printed doesn't.
import asyncio

log = []

async def worker(name, n, delay):
    for i in range(n):
        log.append((name, i))
        await asyncio.sleep(delay)
    return name * 2

async def main():
    t = asyncio.create_task(worker("b", 2, 0.03))
    r = await asyncio.gather(worker("a", 3, 0.02), t)
    print("gathered", r, sorted(log))
    ev = asyncio.Event()
    async def setter():
        await asyncio.sleep(0.01)
        ev.set()
    asyncio.create_task(setter())
    await ev.wait()
    print("event set")
    try:
        await asyncio.wait_for(asyncio.sleep(1), 0.05)
    except asyncio.TimeoutError:
        print("timeout")
    return 42

print(asyncio.run(main()))
