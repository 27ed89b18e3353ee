import { allCriteria } from '../domain/criteria.ts';
import type { VersionEntry } from '../services/version-catalog.ts';

/** No script, no style from elsewhere, nothing framed: the page is the guideline's text and nothing else. */
export const SOURCE_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

const escape = (text: string): string => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * A version's source document as a page a clinician can open from a CRD card: every line numbered
 * and anchored (`#L47`), the lines that decided (`?lines=47-51`) marked, the criterion named.
 * Published guideline text only: no request or member data ever reaches this page.
 */
export function sourcePage(version: VersionEntry, search: URLSearchParams): string {
  const lines = version.source.text.split(/\r\n|\r|\n/);
  const range = /^(\d{1,6})-(\d{1,6})$/.exec(search.get('lines') ?? '');
  const [from, to] = range ? [Number(range[1]), Number(range[2])] : [0, -1];
  // Only a criterion of this version is named: a link cannot make the page say any text decided.
  const asked = search.get('criterion');
  const criterion = asked !== null && allCriteria(version.document).some((candidate) => candidate.key === asked) ? asked : null;
  const { header } = version.document;
  const title = `${header.brandName} (${header.guidelineNumber}), ${header.implementationDate.year}-${String(header.implementationDate.month).padStart(2, '0')}`;
  const body = lines.map((line, index) => {
    const number = index + 1;
    const marked = number >= from && number <= to;
    return `<tr id="L${number}"${marked ? ' class="decided"' : ''}><td class="n"><a href="#L${number}">${number}</a></td><td><pre>${escape(line)}</pre></td></tr>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}td{vertical-align:top;padding:0 .5rem}td.n{color:#666;text-align:right;user-select:none}pre{margin:0;white-space:pre-wrap;font:inherit}tr.decided{background:#fff3b0}</style>
</head><body>
<h1>${escape(title)}</h1>
<p>Guideline version ${escape(version.id)}${criterion ? `; the criterion that decided: <strong>${escape(criterion)}</strong>` : ''}${range ? `, lines ${from}–${to} (marked)` : ''}.</p>
<table>
${body}
</table>
</body></html>`;
}
