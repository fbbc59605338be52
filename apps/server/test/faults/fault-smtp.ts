import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** What the server does with one mail's DATA: accept it, refuse it with a code, or never answer. */
export type SmtpBehaviour =
  { accept: true; delayMs?: number } | { refuse: number } | { stall: true };

export interface FaultSmtp {
  url: string;
  /** Every DATA the server saw, in order: the X-Lojal-Message header and what it answered. */
  attempts: Array<{ message: string; answer: 'accepted' | 'refused' | 'stalled'; at: number }>;
  /** How many times each message was accepted (delivered). */
  delivered(): Map<string, number>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on a free port whose answer to each mail is decided by `behave`, given
 * the message's X-Lojal-Message header and how many times that message was seen before.
 * Only an accepted mail counts as delivered.
 */
export async function startFaultSmtp(
  behave: (message: string, seenBefore: number) => SmtpBehaviour = () => ({ accept: true }),
): Promise<FaultSmtp> {
  const attempts: FaultSmtp['attempts'] = [];
  const stalled = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // A stalled mail's connection is never answered; the client gives up on its own timeout.
    socketTimeout: 600_000,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const head =
          Buffer.concat(chunks)
            .toString('utf8')
            .split(/\r?\n\r?\n/)[0] ?? '';
        const message = /^X-Lojal-Message:\s*(\S+)/im.exec(head)?.[1] ?? '';
        const seenBefore = attempts.filter((a) => a.message === message).length;
        const behaviour = behave(message, seenBefore);
        const at = Date.now();
        if ('stall' in behaviour) {
          attempts.push({ message, answer: 'stalled', at });
          const release = () =>
            callback(Object.assign(new Error('gave up'), { responseCode: 451 }));
          stalled.add(release);
          return;
        }
        if ('refuse' in behaviour) {
          attempts.push({ message, answer: 'refused', at });
          const error = Object.assign(new Error(`refused with ${behaviour.refuse}`), {
            responseCode: behaviour.refuse,
          });
          return callback(error);
        }
        setTimeout(() => {
          attempts.push({ message, answer: 'accepted', at });
          callback();
        }, behaviour.delayMs ?? 0);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    attempts,
    delivered() {
      const counts = new Map<string, number>();
      for (const a of attempts)
        if (a.answer === 'accepted') counts.set(a.message, (counts.get(a.message) ?? 0) + 1);
      return counts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of stalled) release();
        server.close(() => resolve());
      }),
  };
}
