import type { Criterion, GuidelineDocument, Heading, YearMonth } from '../domain/document.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function month(value: YearMonth): string {
  return `${MONTHS[value.month - 1] ?? ''} ${value.year}`;
}

/** Text is stored plain (entities decoded): re-encode what HTML would read as markup. */
function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function bullets(items: readonly Criterion[], depth: number): string[] {
  return items.flatMap((item) => [`${' '.repeat(depth)}- ${escape(item.text)}${item.connective ? ` ${item.connective}` : ''}`, ...bullets(item.children, depth + 1)]);
}

/** The group heading as the document wrote it ("US Boxed Warning"), else the template's own words. */
function groupHeading(headings: readonly Heading[], pattern: RegExp, fallback: string): string {
  return headings.find((heading) => heading.level === 3 && pattern.test(heading.text))?.text ?? fallback;
}

/** "A, B, C" → "A, B, or C": how the template lists evidence sources. */
function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')}, or ${items.at(-1) ?? ''}`;
}

/**
 * Renders a document in the template's canonical layout: "-" bullets with one space per depth,
 * tab-separated cells, one blank line between blocks, no wraps. Parsing the rendered text gives the
 * same document (spans aside), which is the test that the model holds everything the template says.
 */
export function renderGuideline(document: GuidelineDocument): string {
  const { header } = document;
  const blocks: string[][] = [];
  const block = (...lines: string[]): void => void blocks.push(lines);
  const paragraph = (text: string): void => block(escape(text));

  block(escape(header.title));
  block(`Guideline Number: ${header.guidelineNumber}${header.numberLineCells.map((cell) => `\t${escape(cell)}`).join('')}`, `${escape(header.organizationNote)} ${escape(header.copyright)}`.trim(), `Original Date: ${month(header.originalDate)}\tLast Revised Date: ${month(header.lastRevisedDate)}\tImplementation Date: ${month(header.implementationDate)}`);
  if (document.tableOfContents.length > 0) {
    block('TABLE OF CONTENTS');
    block(...document.tableOfContents.map((entry) => `${escape(entry.title)}\t${entry.page ?? ''}`.trimEnd()));
  }
  block('STATEMENT');
  block('Purpose');
  document.statement.paragraphs.forEach((item) => paragraph(item.text));
  if (document.statement.evidenceSources.length > 0) paragraph(`${document.statement.evidenceIntro} ${listOf(document.statement.evidenceSources.map((source) => source.text))}.`);

  block('INDICATIONS');
  if (document.continuation) {
    paragraph(document.continuation.preamble);
    block(...bullets(document.continuation.conditions, 0));
  }
  for (const section of document.indications) {
    paragraph(section.heading);
    block(...section.populations.flatMap((population) => [`- ${escape(population.text)}`, ...bullets(population.scenarios, 1)]));
  }

  block('CONTRAINDICATIONS/WARNINGS');
  const groups: string[] = [`- ${groupHeading(document.headings, /^contraindications?$/i, 'Contraindications')}`];
  groups.push(...(document.contraindicationsNone ? [` - ${escape(document.contraindicationsNone.text)}`] : bullets(document.contraindications, 1)));
  if (document.boxedWarnings.length > 0) groups.push(`- ${groupHeading(document.headings, /boxed warnings?$/i, 'US Boxed Warning')}`, ...bullets(document.boxedWarnings, 1));
  if (document.warnings.length > 0) groups.push(`- ${groupHeading(document.headings, /^(?:warnings?|warnings? and precautions|precautions)$/i, 'Warnings')}`, ...bullets(document.warnings, 1));
  block(...groups);

  block('EXCLUSION CRITERIA');
  block(...bullets(document.exclusions, 0));

  block('CODING AND STANDARDS');
  block('Codes');
  block(...document.codes.map((code) => `- ${code.code} - ${escape(code.description)}`));
  block('Applicable Lines of Business');
  block(...document.linesOfBusiness.map((line) => `${line.applicable ? '<input checked="" type="checkbox"/>' : '<input type="checkbox"/>'}\t${escape(line.label)}`));

  block('POLICY HISTORY');
  block('Date\tSummary', ...document.policyHistory.map((row) => `${month(row.date)}\t<ul style="list-style-type: none">${row.items.map((item) => ` • ${escape(item)}`).join('')}`));

  block('LEGAL AND COMPLIANCE');
  block('Guideline Approval');
  if (document.approval) {
    block('Committee');
    paragraph(document.approval.committee);
  }
  block('Disclaimer');
  document.disclaimer.forEach((item) => paragraph(item.text));

  block('REFERENCES');
  block(...document.references.map((reference) => `${reference.ordinal}. ${escape(reference.citation)}`));
  return blocks.map((lines) => lines.join('\n')).join('\n\n');
}
