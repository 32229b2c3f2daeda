// A configuration that cannot be used: names each field and its problem.
export interface ConfigIssue {
  /** e.g. 'login.sessions[0].argv'; '' for the document as a whole. */
  field: string;
  problem: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  /** The file the configuration came from, when there was one. */
  readonly file: string | undefined;

  constructor(issues: ConfigIssue[], file?: string) {
    const where = file === undefined ? 'configuration' : `configuration ${file}`;
    const list = issues.map((i) => (i.field === '' ? i.problem : `${i.field}: ${i.problem}`));
    super(`${where}: ${list.join('; ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
    this.file = file;
  }
}
