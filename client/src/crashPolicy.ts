/**
 * When to restart the language server after its process dies (pure: no vscode, testable).
 * A crash restarts it unless `maxCrashes` crashes fell within `windowMs`; then the client
 * stops restarting and tells the user, who can restart it by command.
 */
export interface CrashDecision {
  restart: boolean;
  /** crashes counted in the window, this one included */
  recentCrashes: number;
}

/** Sliding-window crash counter. */
export class CrashPolicy {
  private crashes: number[] = [];

  constructor(
    private readonly maxCrashes = 5,
    private readonly windowMs = 3 * 60_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Records a crash and decides whether to restart. */
  onCrash(): CrashDecision {
    const t = this.now();
    this.crashes = this.crashes.filter((c) => t - c < this.windowMs);
    this.crashes.push(t);
    return { restart: this.crashes.length < this.maxCrashes, recentCrashes: this.crashes.length };
  }

  /** Forgets past crashes (after a restart the user asked for). */
  reset(): void {
    this.crashes = [];
  }
}
