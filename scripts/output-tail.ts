/** The most lines a tail keeps, and the longest line it keeps whole. */
const DEFAULT_LINES = 20;
const MAX_LINE = 500;

/**
 * The last lines a process wrote, kept as they pass through to the terminal, so that when it
 * dies the launcher can show why without the operator scrolling back through seven others.
 * A carriage return ends a line too: a progress bar redraws itself with one.
 */
export class OutputTail {
  private readonly lines: string[] = [];
  private partial = "";

  constructor(private readonly keep = DEFAULT_LINES) {}

  /** Takes a chunk of output as it arrives, split anywhere, even inside a line. */
  add(chunk: string | Buffer): void {
    const parts = (this.partial + String(chunk)).split(/\r\n|\r|\n/);
    this.partial = parts.pop() ?? "";
    for (const line of parts) this.push(line);
    // A line that never ends (a long JSON log) is kept only up to the limit.
    if (this.partial.length > MAX_LINE * 4) this.partial = this.partial.slice(-MAX_LINE * 4);
  }

  /** The kept lines, oldest first, with an unfinished last line if there is one. */
  last(): string[] {
    const lines = this.partial.trim() ? [...this.lines, this.partial] : [...this.lines];
    return lines.slice(-this.keep);
  }

  private push(line: string): void {
    if (!line.trim()) return;
    this.lines.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}...` : line);
    if (this.lines.length > this.keep) this.lines.shift();
  }
}

/** The tail as an indented block for a report, or a sentence when there is nothing. */
export function describeTail(name: string, lines: readonly string[]): string {
  if (lines.length === 0) return `${name} printed nothing since it was started.`;
  return [`Last lines from ${name}:`, ...lines.map((line) => `  | ${line}`)].join("\n");
}
