/**
 * A local SMTP sink (smtp-server, counting only) in a process of its own, so that the CPU it
 * spends receiving is not counted as the sender's: `startSmtpSink()` forks this file, which
 * answers over IPC with its port, then with the mails received and its own CPU when asked.
 */
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';

type Request = { type: 'stats' } | { type: 'close' };
type Reply =
  { type: 'listening'; port: number } | { type: 'stats'; received: number; cpuMs: number };

export interface SmtpSink {
  url: string;
  /** Mails received so far and the CPU (ms) the sink's process has used since it started. */
  stats(): Promise<{ received: number; cpuMs: number }>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const child = fork(fileURLToPath(import.meta.url), ['--child'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: Reply['type']) =>
    new Promise<Reply>((resolve, reject) => {
      const onMessage = (reply: Reply) => {
        if (reply.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(reply);
      };
      const onExit = (code: number | null) =>
        reject(new Error(`the SMTP sink exited (${code}) before answering`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const listening = (await next('listening')) as Extract<Reply, { type: 'listening' }>;
  const ask = (request: Request) => child.send(request);
  return {
    url: `smtp://127.0.0.1:${listening.port}`,
    async stats() {
      const answer = next('stats');
      ask({ type: 'stats' });
      const { received, cpuMs } = (await answer) as Extract<Reply, { type: 'stats' }>;
      return { received, cpuMs };
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        ask({ type: 'close' });
      }),
  };
}

function runSink(): void {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  const reply = (message: Reply) => process.send!(message);
  process.on('message', (request: Request) => {
    if (request.type === 'stats') {
      const cpu = process.cpuUsage();
      reply({ type: 'stats', received, cpuMs: (cpu.user + cpu.system) / 1000 });
    } else {
      server.close(() => process.exit(0));
    }
  });
  server.listen(0, '127.0.0.1', () =>
    reply({ type: 'listening', port: (server.server.address() as AddressInfo).port }),
  );
}

if (process.argv.includes('--child')) runSink();
