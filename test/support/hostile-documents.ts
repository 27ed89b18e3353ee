/**
 * Documents built to make a parser slow or to crash it: about `size` characters each, made from
 * the seed with one part replaced by a flood. Shared by the hostile-input tests and bench/parse.ts.
 */
export interface HostileDocument {
  readonly name: string;
  readonly text: string;
}

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`seed drift: "${from.slice(0, 40)}" not found`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Repeats `unit` until the repeats reach about `size` characters. */
function flood(unit: string, size: number): string {
  return unit.repeat(Math.max(1, Math.ceil(size / unit.length)));
}

export function hostileDocuments(seed: string, size = 1024 * 1024): HostileDocument[] {
  const exclusionAnchor = '- Disease progression on or after treatment with Blincyto (blinatumomab).';
  const withExclusions = (lines: string): string => replaceOnce(seed, exclusionAnchor, `${exclusionAnchor}\n${lines}`);
  return [
    { name: 'one table-of-contents line with a megabyte of tabs', text: replaceOnce(seed, 'STATEMENT\t2', `STATEMENT${'\t'.repeat(size)}2`) },
    { name: 'every table-of-contents line with 1,000 tabs', text: replaceOnce(seed, 'STATEMENT\t2\n', flood(`STATEMENT${'\t'.repeat(1000)}2\n`, size)) },
    { name: 'a title of 19,000 characters repeating "for X ("', text: replaceOnce(seed, 'Evolut Clinical Guideline 3258 for Blincyto™ (blinatumomab)', `Evolut Clinical Guideline 3258 ${flood('for X (', 19_000)}`) + flood('\nfor X (for X (', size - 19_000) },
    { name: 'bullets nested a thousand levels deep by tabs', text: withExclusions(Array.from({ length: Math.floor(Math.sqrt(2 * size)) }, (_, depth) => `${'\t'.repeat(depth + 1)}- Nested item ${depth}:`).join('\n')) },
    { name: '20,000 identical dose-limit exclusions', text: withExclusions(flood('- Dosing exceeds single dose limit of Blincyto (blinatumomab) 28 mcg/day.\n', size)) },
    { name: 'one statement paragraph wrapped over 100,000 lines', text: replaceOnce(seed, 'To define and describe', `${flood('to define\n', size)}To define and describe`) },
    { name: 'markup flood: unclosed autolinks, angle brackets and entities', text: replaceOnce(seed, 'Evolent Clinical Guidelines do not constitute', `${flood('<https://a <b &amp;&#x26;&bogus; ', 19_000)}\n\n${flood(`${'<<https://x'.repeat(1500)}\n\n`, size)}Evolent Clinical Guidelines do not constitute`) },
    { name: 'references made of stars and periods', text: `${seed}\n${flood(`16. ${'. * '.repeat(4000)}.\n`, size)}` },
    { name: 'a dose limit with thousands of quantities', text: withExclusions(flood(`- Dosing exceeds single dose limit of X ${'1 mg/kg up to a maximum of '.repeat(600)}1 mg.\n`, size)) },
    { name: '50,000 lines the template does not know, inside the exclusions', text: withExclusions(flood('Not a bullet at all.\n', size)) },
    { name: 'a single line of two megabytes', text: flood('Guideline ', 2 * size) },
    { name: 'the REFERENCES section repeated 50,000 times', text: `${seed}\n${flood('\nREFERENCES\n\n1. Again.\n', size)}` },
  ];
}
