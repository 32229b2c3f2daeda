// Types of deb.mjs, for the TypeScript tests.
export declare function debArchitecture(): string;
export declare function shlibDepends(stage: string): string[];
export declare function buildDeb(
  root: string,
  options: { appDir: string; standIn: boolean; stage: string; outDir: string },
): string;
