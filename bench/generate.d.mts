// Types for bench/generate.mjs (the harness is plain ESM so it runs with node alone).
export declare const TEAMS: readonly string[];
export declare const COMBOS: readonly { cloud: 'aws' | 'gcp'; engine: string; short: string }[];
export declare const ENVIRONMENTS: readonly string[];

export interface GeneratedDatabase {
  index: number;
  team: string;
  teamIndex: number;
  name: string;
  environment: string;
  region: string;
  style: 'shared' | 'override' | 'inline';
  cloud: 'aws' | 'gcp';
  engine: string;
  short: string;
}

export interface GeneratedRepo {
  dir: string;
  databases: number;
  specBytes: number;
  counts: { clouds: Record<string, number>; engines: Record<string, number>; environments: Record<string, number>; styles: Record<string, number> };
}

export declare function databaseAt(index: number): GeneratedDatabase;
export declare function databaseSpec(index: number): { db: GeneratedDatabase; text: string };
export declare function specPath(db: GeneratedDatabase): string;
/** Writes the repo (emptying `dir` first); `git` (default true) makes it a repo with one commit. */
export declare function generateRepo(dir: string, n: number, options?: { git?: boolean }): Promise<GeneratedRepo>;
export declare function touchOneDatabase(dir: string, n: number): { name: string; file: string };
