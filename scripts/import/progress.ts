import type {FileResult} from './run'

export interface Progress {
  start(totalFiles: number): void
  tick(result: FileResult, bytes: number): void
  stop(): void
}

interface Stream {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

/**
 * A redrawn bar on a terminal (files, stories, MB/s); plain lines every few seconds otherwise,
 * so CI logs stay readable. Rejections are printed as they happen, one line each.
 */
export class ConsoleProgress implements Progress {
  private total = 0
  private files = 0
  private stories = 0
  private bytes = 0
  private startedAt = 0
  private lastDraw = 0

  constructor(
    private readonly out: Stream,
    private readonly options: {intervalMs?: number} = {},
  ) {}

  start(totalFiles: number): void {
    this.total = totalFiles
    this.startedAt = Date.now()
    this.lastDraw = this.startedAt
  }

  private line(): string {
    const seconds = Math.max(0.001, (Date.now() - this.startedAt) / 1000)
    const mbps = this.bytes / 1048576 / seconds
    return `${this.files}/${this.total} files, ${this.stories} stories, ${mbps.toFixed(1)} MB/s`
  }

  tick(result: FileResult, bytes: number): void {
    this.files++
    this.bytes += bytes
    if (result.status === 'imported' || result.status === 'draft') this.stories++
    const now = Date.now()
    if (this.out.isTTY) {
      if (result.error) this.out.write(`\r\x1b[K${result.error}\n`)
      if (now - this.lastDraw < 100 && this.files < this.total) return
      this.lastDraw = now
      const width = 24
      const done = this.total ? Math.round((this.files / this.total) * width) : width
      this.out.write(`\r\x1b[K[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${this.line()}`)
    } else {
      if (result.error) this.out.write(`${result.error}\n`)
      if (now - this.lastDraw < (this.options.intervalMs ?? 5000)) return
      this.lastDraw = now
      this.out.write(`${this.line()}\n`)
    }
  }

  stop(): void {
    if (this.out.isTTY) this.out.write(`\r\x1b[K${this.line()}\n`)
  }
}

/** Only the rejection lines, for quiet runs. */
export class ErrorsOnlyProgress implements Progress {
  constructor(private readonly out: Stream) {}
  start(): void {}
  tick(result: FileResult): void {
    if (result.error) this.out.write(`${result.error}\n`)
  }
  stop(): void {}
}
