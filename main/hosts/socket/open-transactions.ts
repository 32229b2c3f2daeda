// Counts the PAM transactions the daemon has open (pam_start returned, pam_end
// has not): logged after every flow and every client that leaves, so a leak —
// a transaction nobody ends — shows in the journal and in the tests.
import type { PamHandle, StartTransaction } from '../../auth/pam-calls';

export class OpenTransactions {
  #open = 0;

  get open(): number {
    return this.#open;
  }

  /** `start`, with every transaction it returns counted until its end() settles. */
  counting(start: StartTransaction): StartTransaction {
    return async (options) => {
      const handle = await start(options);
      this.#open++;
      let ending: Promise<void> | undefined;
      const end = (): Promise<void> => {
        ending ??= handle.end().finally(() => {
          this.#open--;
        });
        return ending;
      };
      return new Proxy(handle, {
        get(target, property) {
          if (property === 'end') return end;
          // The real object as the receiver: PamTransaction's private fields need it.
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      }) satisfies PamHandle;
    };
  }
}
