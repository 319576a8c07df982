// Preloaded into the gateway by the memory benchmark (memory.ts), with --expose-gc: SIGUSR2
// asks for a full collection, so the heap the gateway's metrics then show is what it retains,
// not what it has yet to collect. Nothing else in the gateway changes.
process.on("SIGUSR2", () => {
  globalThis.gc?.();
  globalThis.gc?.();
});
