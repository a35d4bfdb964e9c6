import { formatEvidenceText, lineLocator, locateEvidence } from '../../core';
import { flag, oneOf, parseArgs, type FlagSpec } from '../args';
import { ruleConfig, WORKSPACE_FLAGS } from '../config';
import { loadWorkspace } from '../load';

export const EVIDENCE_USAGE = `netpol evidence PATH... [--format text|json] [--no-dns] [--no-api-server] [--dns-namespace NS] [--dns-label K=V]`;

export const EVIDENCE_FLAGS: FlagSpec = {
  ...WORKSPACE_FLAGS,
  format: { takesValue: true },
  'no-dns': { takesValue: false },
  'no-api-server': { takesValue: false },
  'dns-namespace': { takesValue: true },
  'dns-label': { takesValue: true, repeatable: true },
};

const FORMATS = ['text', 'json'] as const;

/**
 * `netpol evidence`: the flows the manifests show the application needs, each with the
 * `file:line` that shows it, then the references it could not resolve (info).
 */
export function evidenceCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const args = parseArgs(argv, EVIDENCE_FLAGS);
  const format = oneOf(flag(args, 'format'), FORMATS, 'format', 'text');
  // Usage errors of the flags first; the DNS flags then apply over the configuration file.
  ruleConfig(args);
  const { snapshot } = loadWorkspace(args, err, { rules: (base) => ({ dns: ruleConfig(args, base).dns }) });
  const evidence = snapshot.evidence({ dns: !args.flags.has('no-dns'), apiServer: !args.flags.has('no-api-server') });
  const located = locateEvidence(evidence, lineLocator((file) => snapshot.text(file) ?? ''));
  if (format === 'json') out(JSON.stringify(located, null, 2) + '\n');
  else out(formatEvidenceText(located));
  return 0;
}
