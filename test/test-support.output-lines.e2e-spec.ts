import { spawn } from 'node:child_process';
import { collectLines } from './support/output-lines';

/**
 * The e2e tests read the api's and the worker's log lines as their processes write them; a
 * line the pipe hands over in two reads must still be one line, as the process wrote it.
 */
describe('test support: the lines of a child process', () => {
  function linesOf(script: string): Promise<string[]> {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    collectLines(child.stdout, output);
    collectLines(child.stderr, output);
    return new Promise((resolve) => child.on('close', () => resolve(output)));
  }

  it('keeps a line written in two pieces whole, however the reads cut it', async () => {
    // The pause lets the first read end in the middle of the line (and of the "é").
    const script = `
      const line = Buffer.from('{"level":30,"msg":"assignment job done","note":"pr\\u00e9vu"}\\n');
      const cut = line.indexOf(0xc3) + 1;
      process.stdout.write(line.subarray(0, cut), () => setTimeout(() => process.stdout.write(Buffer.concat([line.subarray(cut), Buffer.from('second\\n\\nlast without end')])), 100));
    `;
    expect(await linesOf(script)).toEqual(['{"level":30,"msg":"assignment job done","note":"prévu"}', 'second', 'last without end']);
  });
});
