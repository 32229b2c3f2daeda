// A pam_matrix stack (no root, no real users) that answers like a real password
// stack: `verbose` makes it say "Authentication failed" / "Authentication
// succeeded", and pam_faildelay asks for the fail delay the UI counts down.
import { writePassdb, matrixService } from '../../lab/matrix';
import { module } from '../../lab/paths';
import { SERVICE } from './serve';

export const MATRIX_USER = 'alice';
export const MATRIX_PASSWORD = 'Tr0ub4dor&3-matrix';

export interface MatrixOptions {
  /** What pam_faildelay asks for, in µs (libpam adds up to ±50 % jitter). */
  failDelayUs?: number;
  password?: string;
}

export function matrixStack({ failDelayUs = 1_500_000, password = MATRIX_PASSWORD }: MatrixOptions = {}): string {
  const passdb = writePassdb([{ user: MATRIX_USER, password, service: SERVICE }]);
  return [`auth optional ${module('pam_faildelay.so')} delay=${failDelayUs}`, matrixService(passdb, 'verbose')].join('\n');
}
