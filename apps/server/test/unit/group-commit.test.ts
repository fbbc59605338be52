import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/shared/group-commit.ts';

/** A write whose batches the test sees and releases one at a time. */
function gatedWrite() {
  const batches: number[][] = [];
  const gates: Array<(fail?: Error) => void> = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      gates.push((fail) => (fail ? reject(fail) : resolve(items.map((i) => `ok ${i}`))));
    });
  const release = async (fail?: Error) => {
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 1));
    gates.shift()!(fail);
  };
  return { write, batches, release };
}

describe('group commit', () => {
  it('writes what arrives during a write in one next write, and answers each caller its own result', async () => {
    const w = gatedWrite();
    const call = groupCommit(w.write);
    const first = call(1);
    const rest = [2, 3, 4].map(call);
    await w.release();
    await w.release();
    expect(await first).toBe('ok 1');
    expect(await Promise.all(rest)).toEqual(['ok 2', 'ok 3', 'ok 4']);
    expect(w.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('a failed write fails every caller of its batch, and the next batch is still written', async () => {
    const w = gatedWrite();
    const call = groupCommit(w.write);
    const first = call(1);
    const second = [call(2), call(3)];
    const failed = Promise.allSettled(second);
    await w.release();
    await w.release(new Error('the database refused'));
    const third = call(4);
    await w.release();
    expect(await first).toBe('ok 1');
    expect((await failed).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await third).toBe('ok 4');
  });

  it('takes at most maxBatch items in one write', async () => {
    const w = gatedWrite();
    const call = groupCommit(w.write, 2);
    const all = [1, 2, 3, 4, 5].map(call);
    for (let i = 0; i < 3; i++) await w.release();
    await Promise.all(all);
    expect(w.batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('a write that throws before returning a promise fails its callers and does not stop the queue', async () => {
    let calls = 0;
    const call = groupCommit((items: number[]) => {
      calls += 1;
      if (calls === 1) throw new Error('thrown at once');
      return Promise.resolve(items);
    });
    await expect(call(1)).rejects.toThrow('thrown at once');
    expect(await call(2)).toBe(2);
  });
});
