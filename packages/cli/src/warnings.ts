import { lintTopology, type LintWarning, type Topology } from '@warren/topology';
import { line, type CliIo } from './io';

/** `line 12: queues.billing.limits.overflow: ... (QUORUM_REJECT_PUBLISH_DLX)`. */
export function formatWarning(warning: LintWarning): string {
  const where = warning.line === undefined ? '' : `line ${warning.line}: `;
  return `warning: ${where}${warning.path}: ${warning.message} (${warning.code})`;
}

/** Lints a valid topology and prints each warning on stderr (stdout stays machine-readable). */
export function reportWarnings(topology: Topology, io: CliIo): LintWarning[] {
  const warnings = lintTopology(topology);
  for (const warning of warnings) line(io.stderr, formatWarning(warning));
  return warnings;
}
