// Starts raw-grpc-server.ts as a child process and waits (bounded) for its READY line.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./raw-grpc-server.ts', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 10_000;

export interface RawGrpcChild {
  address: string;
  pid: number;
  stop(): Promise<void>;
}

export function startRawGrpcServer(): Promise<RawGrpcChild> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), ENTRY], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, EXIT_TIMEOUT_MS); })]);
    clearTimeout(timer);
    child.kill('SIGKILL');
  };
  process.on('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`raw gRPC server: no READY within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error('raw gRPC server exited before READY'));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      const { address } = JSON.parse(line.slice('READY '.length)) as { address: string };
      resolve({ address, pid: child.pid!, stop });
    });
  });
}
