import { withIndexLock } from '../../src/store/lock.js';

/** Holds the index lock of `dir` as another process would, until `release`; resolves once it is held. */
export async function holdIndexLock(dir: string): Promise<{ release: () => Promise<void> }> {
  let letGo = () => {};
  const held = new Promise<void>((r) => (letGo = r));
  let entered = () => {};
  const inside = new Promise<void>((r) => (entered = r));
  const holder = withIndexLock(dir, async () => {
    entered();
    await held;
  });
  await inside;
  return {
    release: async () => {
      letGo();
      await holder;
    },
  };
}
