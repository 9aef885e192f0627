// A failure the operator can fix, told in one line: what is wrong and what to do. The CLI and the
// server print its message alone (no stack trace unless --debug or LOG_LEVEL=debug) and exit 1.
export class PlainError extends Error {
  /**
   * @param cause what is wrong, e.g. "port 8080 on 127.0.0.1 is already in use"
   * @param fix what to do, e.g. "stop the other process or choose another port: PORT=8081"
   */
  constructor(
    readonly problem: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(`${problem} — ${fix}`, options);
    this.name = 'PlainError';
  }
}
