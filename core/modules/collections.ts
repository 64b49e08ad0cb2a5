// The collections module (being written: see the issue for the stdlib).
export {};
