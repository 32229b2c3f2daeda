// Types of manifest.mjs, for the TypeScript tests.
export interface ManifestEntry {
  /** A repository path, or APP_TREE. */
  source: string;
  /** The absolute installed path. */
  target: string;
  mode: number;
  /** The line of build/deb/manifest. */
  line: number;
}
export declare const MANIFEST: string;
export declare const APP_TREE: string;
export declare function readManifest(root: string): ManifestEntry[];
export declare function conffiles(entries: ManifestEntry[]): string[];
export declare function units(entries: ManifestEntry[]): { system: string[]; user: string[] };
export declare function sysusersEntry(entries: ManifestEntry[]): ManifestEntry | undefined;
export declare function sysusersAccounts(text: string): string[];
