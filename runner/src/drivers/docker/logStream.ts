/**
 * Docker's multiplexed log stream (containers without a TTY): frames of
 * [stream type (1 = stdout, 2 = stderr), 0, 0, 0, uint32 big-endian length] + payload.
 * This splitter turns the byte stream into whole lines per stream.
 */

export type LogStreamName = 'stdout' | 'stderr';

/** Incremental demultiplexer: feed chunks, receive complete lines; `end()` flushes partial lines. */
export class LogDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  private readonly partial: Record<LogStreamName, string> = { stdout: '', stderr: '' };

  constructor(
    private readonly onLine: (line: string, stream: LogStreamName) => void,
    /** true when the stream is raw (TTY container): no frame headers */
    private readonly raw = false,
  ) {}

  push(chunk: Buffer): void {
    if (this.raw) {
      this.text(chunk.toString('utf8'), 'stdout');
      return;
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const stream: LogStreamName = this.pending[0] === 2 ? 'stderr' : 'stdout';
      this.text(this.pending.subarray(8, 8 + size).toString('utf8'), stream);
      this.pending = this.pending.subarray(8 + size);
    }
  }

  end(): void {
    for (const s of ['stdout', 'stderr'] as const) {
      if (this.partial[s]) this.onLine(this.partial[s], s);
      this.partial[s] = '';
    }
  }

  private text(s: string, stream: LogStreamName): void {
    const parts = (this.partial[stream] + s).split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const p of parts) this.onLine(p.replace(/\r$/, ''), stream);
  }
}
