import type { Readable } from 'node:stream';

/**
 * Appends each line a child process writes to `output`, whole. A pipe hands over whatever the
 * process wrote so far, so a read may end in the middle of a line (or of a character): that
 * part waits for the rest instead of becoming a line of its own, which a test looking for a
 * message, or parsing a JSON log line, would miss or fail on.
 */
export function collectLines(stream: Readable, output: string[]): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    output.push(...lines.filter(Boolean));
  });
  stream.on('end', () => {
    if (partial) output.push(partial);
    partial = '';
  });
}
