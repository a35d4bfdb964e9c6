/**
 * What `netpol.explainWorkload` (the command of the server's code lenses above workloads
 * and policies) shows: the reachability panel, filtered to what the lens is about.
 */
import type { ReachFilters } from './filters';

/** Argument of `netpol.explainWorkload` (from the code lenses). */
export interface ExplainWorkloadArgs {
  readonly uri?: string;
  /** A workload id (`shop/web[Deployment]`) or a policy id (`shop/allow-web`). */
  readonly id: string;
  /** `Deployment`, `workload`, `NetworkPolicy`, `policy`… */
  readonly kind?: string;
  /** For a policy: ids of the workloads it selects, when the lens knows them. */
  readonly workloads?: readonly string[];
}

/** The filters that show a workload's connections, or those of what a policy selects. */
export function filtersForLens(args: ExplainWorkloadArgs): Partial<ReachFilters> {
  const isPolicy = /policy/i.test(args.kind ?? '');
  if (!isPolicy) return { workload: args.id };
  if (args.workloads && args.workloads.length > 0) return { workload: args.workloads.join(', ') };
  const slash = args.id.indexOf('/');
  return slash > 0 ? { namespace: args.id.slice(0, slash) } : { workload: args.id };
}
