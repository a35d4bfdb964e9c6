/**
 * Where the project lives in public, and so where its rule pages are published: the
 * repository's docs/rules/<id>.md on its default branch. The one constant every
 * published link derives from (SARIF `helpUri`); package.json's `repository.url` says
 * the same (a unit test keeps them equal). The editor links the rule pages shipped with
 * the extension instead (they work offline and match the installed version).
 */
export const REPOSITORY_URL = 'https://github.com/netpol-studio/netpol-studio';

/** The published page of a rule: `…/blob/main/docs/rules/<id>.md`. */
export function ruleDocsUrl(rule: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${encodeURIComponent(rule)}.md`;
}
