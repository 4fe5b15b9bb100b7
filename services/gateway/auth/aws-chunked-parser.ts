// The framing of an aws-chunked body, as a push parser with no I/O:
//
//   <hex size>[;chunk-signature=<64 hex>]\r\n<size bytes>\r\n     (repeated)
//   0[;chunk-signature=<64 hex>]\r\n                               (the final chunk)
//   [<name>:<value>\r\n ...]                                        (trailers)
//   \r\n
//
// Clients disagree on the ending: @smithy's unsigned form stops right after "0\r\n" when it
// sends no checksum, others put a blank line between the final chunk and the trailers, some
// omit the last blank line. So after the final chunk one blank line before the first trailer
// is skipped, the body may end at any line boundary, and otherwise a blank line ends it.
import { StoreError } from '../errors/store-error.ts';
import { MAX_AWS_CHUNK_BYTES, MAX_CHUNK_LINE_BYTES, MAX_TRAILER_LINES } from './auth-limits.ts';

export interface AwsChunkedEvents {
  /** A chunk header; size 0 is the final chunk. */
  chunkStart(size: number, signature: string | undefined): void;
  /** Part of the current chunk's data (a view into the pushed buffer). */
  chunkData(bytes: Buffer): void;
  /** The current chunk is complete (for the final chunk: right after its header). */
  chunkEnd(): void;
  /** One trailing header: name lower-cased, value trimmed. */
  trailer(name: string, value: string): void;
}

export interface AwsChunkedLimits {
  maxChunkBytes: number;
  maxLineBytes: number;
  maxTrailerLines: number;
}

const DEFAULT_LIMITS: AwsChunkedLimits = {
  maxChunkBytes: MAX_AWS_CHUNK_BYTES, maxLineBytes: MAX_CHUNK_LINE_BYTES, maxTrailerLines: MAX_TRAILER_LINES,
};

type State = 'chunk-header' | 'chunk-data' | 'chunk-cr' | 'chunk-lf' | 'trailers' | 'done';

const CR = 0x0d;
const LF = 0x0a;
// Hex size, then `;name[=value]` extensions made of visible ASCII only: a control character
// (a stray CR, say) means the framing is off, not that the line may be trimmed.
const CHUNK_HEADER = /^([0-9a-fA-F]{1,16})((?:;[\x21-\x3a\x3c-\x7e]+)*)$/;

function malformed(message: string): StoreError {
  return new StoreError('InvalidRequest', `Malformed aws-chunked body: ${message}`);
}

export class AwsChunkedParser {
  private state: State = 'chunk-header';
  private remaining = 0;
  private line: Buffer[] = [];
  private lineBytes = 0;
  private trailerLines = 0;
  private blankBeforeTrailers = false;
  private readonly limits: AwsChunkedLimits;

  constructor(private readonly events: AwsChunkedEvents, limits: Partial<AwsChunkedLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Feeds the next bytes; events fire synchronously. Throws StoreError on bad framing. */
  push(buf: Buffer): void {
    let pos = 0;
    while (pos < buf.length) {
      switch (this.state) {
        case 'chunk-header':
        case 'trailers': {
          const lineEnd = this.takeLine(buf, pos);
          if (lineEnd < 0) return;
          pos = lineEnd;
          const text = this.finishLine();
          if (this.state === 'chunk-header') this.chunkHeader(text);
          else this.trailerLine(text);
          break;
        }
        case 'chunk-data': {
          const n = Math.min(this.remaining, buf.length - pos);
          this.events.chunkData(buf.subarray(pos, pos + n));
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = 'chunk-cr';
          break;
        }
        case 'chunk-cr':
        case 'chunk-lf': {
          const expected = this.state === 'chunk-cr' ? CR : LF;
          if (buf[pos] !== expected) throw malformed('chunk data is not followed by CRLF (is the chunk longer than its size?)');
          pos++;
          if (this.state === 'chunk-cr') {
            this.state = 'chunk-lf';
          } else {
            this.state = 'chunk-header';
            this.events.chunkEnd();
          }
          break;
        }
        case 'done':
          throw malformed('bytes follow the end of the body');
      }
    }
  }

  /** The source ended: throws IncompleteBody unless the body was complete. */
  finish(): void {
    if (this.state === 'trailers') {
      // A last trailer line without its CRLF is accepted; a cut-off line cannot be told apart.
      if (this.lineBytes > 0) this.trailerLine(this.finishLine());
      this.state = 'done';
    }
    if (this.state !== 'done') {
      throw new StoreError('IncompleteBody', 'The aws-chunked body ended before its final chunk: the request was cut short.');
    }
  }

  /**
   * Collects line bytes up to LF. Returns the position after the LF, or -1 if the line
   * continues in a later buffer.
   */
  private takeLine(buf: Buffer, pos: number): number {
    const lf = buf.indexOf(LF, pos);
    const end = lf < 0 ? buf.length : lf + 1;
    this.lineBytes += end - pos;
    if (this.lineBytes > this.limits.maxLineBytes) {
      throw malformed(`a ${this.state === 'trailers' ? 'trailer' : 'chunk header'} line is longer than ${this.limits.maxLineBytes} bytes`);
    }
    this.line.push(buf.subarray(pos, end));
    return lf < 0 ? -1 : end;
  }

  /** The collected line without its line ending. */
  private finishLine(): string {
    const text = (this.line.length === 1 ? this.line[0]! : Buffer.concat(this.line)).toString('latin1');
    this.line = [];
    this.lineBytes = 0;
    if (text.endsWith('\r\n')) return text.slice(0, -2);
    if (text.endsWith('\n')) throw malformed('a line ends in a bare LF, not CRLF');
    return text;
  }

  private chunkHeader(text: string): void {
    const m = CHUNK_HEADER.exec(text);
    if (!m) throw malformed(`"${text.slice(0, 80)}" is not a chunk header (hex size, then optional ;extensions)`);
    const size = parseInt(m[1]!, 16);
    if (size > this.limits.maxChunkBytes) {
      throw new StoreError('InvalidChunkSizeError', `An aws-chunked chunk of ${size} bytes exceeds the ${this.limits.maxChunkBytes}-byte limit.`);
    }
    let signature: string | undefined;
    for (const ext of m[2]!.split(';').slice(1)) {
      const eq = ext.indexOf('=');
      if (eq >= 0 && ext.slice(0, eq) === 'chunk-signature') signature = ext.slice(eq + 1);
    }
    this.events.chunkStart(size, signature);
    if (size === 0) {
      this.state = 'trailers';
      this.events.chunkEnd();
    } else {
      this.state = 'chunk-data';
      this.remaining = size;
    }
  }

  private trailerLine(text: string): void {
    if (text === '') {
      // One blank line may separate the final chunk from its trailers; a second one, or one
      // after a trailer, is the end.
      if (this.trailerLines > 0 || this.blankBeforeTrailers) this.state = 'done';
      this.blankBeforeTrailers = true;
      return;
    }
    if (++this.trailerLines > this.limits.maxTrailerLines) throw malformed(`more than ${this.limits.maxTrailerLines} trailer lines`);
    const colon = text.indexOf(':');
    if (colon <= 0 || /[\x00-\x08\x0a-\x1f\x7f]/.test(text)) throw malformed(`trailer "${text.slice(0, 80)}" is not "name:value"`);
    this.events.trailer(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, ''));
  }
}
