import type { Reference } from './document.ts';

export function normalizeCitation(citation: string): string {
  return citation.toLowerCase().replace(/[*_]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** What makes two references the same work: the DOI when there is one, else the citation's words. */
export function referenceIdentity(reference: Pick<Reference, 'doi' | 'citation'>): string {
  return reference.doi ? `doi:${reference.doi.toLowerCase()}` : `citation:${normalizeCitation(reference.citation)}`;
}
