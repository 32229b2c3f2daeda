// Types of demo-stack.cjs, for the TypeScript that imports it (the tests).
export declare const DEMO_SERVICE: string;
export declare const DEMO_TOTP_KEY: string;
export declare const DEMO_MIN_LENGTH: number;
export declare const DEMO_SESSION_SECONDS: number;

export interface DemoUser {
  name: string;
  password: string;
  displayName: string;
  /** What this user shows in the demo. */
  note: string;
  /** A TOTP second factor with DEMO_TOTP_KEY. */
  totp?: boolean;
}

export declare const DEMO_USERS: DemoUser[];

export declare function demoModulePaths(): { security: string; matrix: string };

export interface DemoStack {
  /** The state directory (passdb, expired-users, users.oath, passwd, group, pam.d/, config.json). */
  dir: string;
  confDir: string;
  service: string;
  configPath: string;
  users: DemoUser[];
  /** Environment for the processes that run the demo: nss_wrapper with the demo users. */
  env: Record<string, string>;
  /** nss_wrapper is installed: a login can start the demo session. */
  sessionsWork: boolean;
  remove(): void;
}

export declare function createDemoStack(options?: { baseDir?: string }): DemoStack;
