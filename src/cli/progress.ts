/**
 * The progress line: bytes read, rate, ETA and which pass, on stderr, redrawn in place, for runs
 * longer than a second. Own code, not a library: the popular ones (progress, cli-progress) bring
 * more than we need and their load would count against the start-up budget of every run; this
 * is loaded only when the line can be shown.
 *
 * Passes (--axis 0 reads a file several times) are told from the offsets: reading that starts
 * again near the beginning after it came near the end is the next pass. The line is cleared
 * before any message (clear()) and at the end (stop()). NO_COLOR: no attributes (dim) on the line.
 */
import { setReadListener } from '../io/progress-hook.js';

export interface ProgressPlan {
  write(s: string): void;
  /** Milliseconds, monotonic. */
  now(): number;
  color: boolean;
  /** Shown only once this many milliseconds have passed. */
  delay: number;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytesText(n: number): string {
  let i = 0;
  while (n >= 1024 && i < UNITS.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${n.toFixed(1)} ${UNITS[i]}`;
}

function durationText(seconds: number): string {
  const s = Math.ceil(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export class ProgressLine {
  private readonly started: number;
  private size = -1;
  private offset = 0;
  private pass = 1;
  private passStart: number;
  private passFrom = 0;
  private drawn = false;
  private lastDraw = -Infinity;

  constructor(private readonly plan: ProgressPlan) {
    this.started = plan.now();
    this.passStart = this.started;
  }

  /** A reader got to `offset` of an input of `size` bytes (0: unknown). */
  update(offset: number, size: number): void {
    if (size !== this.size) {
      this.size = size;
      this.pass = 1;
      this.passStart = this.plan.now();
      this.passFrom = offset;
    } else if (size > 0 && this.offset >= size * 0.9 && offset <= size * 0.1) {
      this.pass++;
      this.passStart = this.plan.now();
      this.passFrom = offset;
    }
    this.offset = offset;
    // drawn from here, not from a timer: a pass may read a whole file without yielding to the event loop
    const now = this.plan.now();
    if (now - this.lastDraw >= 200) {
      this.lastDraw = now;
      this.draw();
    }
  }

  /** The line as it would be drawn now, or undefined before the delay or any reading. */
  text(): string | undefined {
    const now = this.plan.now();
    if (now - this.started < this.plan.delay || this.size < 0) return undefined;
    const seconds = (now - this.passStart) / 1000;
    const rate = seconds > 0 ? (this.offset - this.passFrom) / seconds : 0;
    const parts = [this.size > 0 ? `${bytesText(this.offset)} of ${bytesText(this.size)} (${Math.floor((100 * this.offset) / this.size)}%)` : bytesText(this.offset)];
    parts.push(`${bytesText(Math.round(rate))}/s`);
    if (this.size > 0 && rate > 0) parts.push(`ETA ${durationText((this.size - this.offset) / rate)}`);
    if (this.pass > 1) parts.push(`pass ${this.pass}`);
    return `activ: ${parts.join(', ')}`;
  }

  draw(): void {
    const t = this.text();
    if (t === undefined) return;
    this.plan.write(this.plan.color ? `\r\x1b[2m${t}\x1b[0m\x1b[K` : `\r${t}\x1b[K`);
    this.drawn = true;
  }

  /** Take the line off the screen (before a message, or at the end). */
  clear(): void {
    if (!this.drawn) return;
    this.plan.write('\r\x1b[K');
    this.drawn = false;
  }
}

export interface Progress {
  clear(): void;
  stop(): void;
}

/** Start listening to the readers; the line is redrawn at most every 200 ms as they report. */
export function startProgress(stream: { write(s: string): unknown }, env: NodeJS.ProcessEnv = process.env): Progress {
  const line = new ProgressLine({
    write: (s) => void stream.write(s),
    now: () => performance.now(),
    color: !('NO_COLOR' in env && env.NO_COLOR !== ''),
    // ACTIV_PROGRESS_DELAY_MS: for tests, which cannot wait for a run of more than a second
    delay: Number(env.ACTIV_PROGRESS_DELAY_MS ?? 1000),
  });
  setReadListener((offset, size) => line.update(offset, size));
  return {
    clear: () => line.clear(),
    stop: () => {
      setReadListener(undefined);
      line.clear();
    },
  };
}
