// The asyncio module (being written: see the issue for the stdlib).
export {};
