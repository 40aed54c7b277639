// The workbench's named timers (notice, gesture settle, prefetch, queue
// re-list...). One place holds them, so a workbench that is put away clears
// them all, and a test's fresh workbench never sees another's timer fire.
type Handle = ReturnType<typeof setTimeout>;

export class Timers {
  private readonly running = new Map<string, Handle>();

  /** Runs fn after ms; a timer of the same name still waiting is dropped first. */
  start(name: string, ms: number, fn: () => void): void {
    this.clear(name);
    this.running.set(
      name,
      setTimeout(() => {
        this.running.delete(name);
        fn();
      }, ms),
    );
  }

  /** Whether the named timer is still waiting. */
  pending(name: string): boolean {
    return this.running.has(name);
  }

  clear(name: string): void {
    const h = this.running.get(name);
    if (h !== undefined) clearTimeout(h);
    this.running.delete(name);
  }

  dispose(): void {
    for (const h of this.running.values()) clearTimeout(h);
    this.running.clear();
  }
}
