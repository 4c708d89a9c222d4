// Shapes of terraform's JSON outputs that dbaas reads (validate -json, plan -json lines, show -json).

export interface TerraformPos {
  line: number;
  column: number;
  byte?: number;
}

export interface TerraformDiagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  address?: string;
  range?: { filename: string; start: TerraformPos; end: TerraformPos };
  snippet?: {
    context?: string | null;
    code: string;
    start_line: number;
    highlight_start_offset: number;
    highlight_end_offset: number;
    values?: { traversal: string; statement: string }[];
  };
}

export interface ValidateResult {
  valid: boolean;
  errorCount: number;
  warningCount: number;
  diagnostics: TerraformDiagnostic[];
  durationMs: number;
}

export interface ChangeCounts {
  add: number;
  change: number;
  destroy: number;
  import: number;
}

export interface PlanResult extends ChangeCounts {
  /** `-detailed-exitcode`: 0 = no changes, 2 = changes. */
  exitCode: 0 | 2;
  hasChanges: boolean;
  /** Absolute path of the saved plan. */
  planFile: string;
  /** Warnings (errors throw). */
  diagnostics: TerraformDiagnostic[];
  durationMs: number;
}

export interface ApplyResult extends ChangeCounts {
  outputs: Record<string, { sensitive: boolean; type?: unknown; value?: unknown }>;
  diagnostics: TerraformDiagnostic[];
  durationMs: number;
}

export interface InitResult {
  stdout: string;
  /** Warnings land here even on success. */
  stderr: string;
  durationMs: number;
}

export type ChangeAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export interface ResourceChange {
  address: string;
  module_address?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  provider_name: string;
  action_reason?: string;
  change: {
    actions: ChangeAction[];
    before: unknown;
    after: unknown;
    after_unknown?: unknown;
    before_sensitive?: unknown;
    after_sensitive?: unknown;
    replace_paths?: unknown[];
  };
}

/** `terraform show -json <planfile>`; only the fields dbaas uses are typed closely. */
export interface TerraformPlanJson {
  format_version: string;
  terraform_version: string;
  resource_changes?: ResourceChange[];
  output_changes?: Record<string, { actions: ChangeAction[]; before: unknown; after: unknown }>;
  planned_values?: unknown;
  prior_state?: unknown;
  configuration?: unknown;
  applyable?: boolean;
  complete?: boolean;
  errored?: boolean;
  [key: string]: unknown;
}
