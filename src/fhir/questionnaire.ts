import type { Questionnaire, QuestionnaireItem, QuestionnaireResponse, QuestionnaireResponseItem } from '@medplum/fhirtypes';
import type { FactRequirementView } from '../domain/determination.ts';
import { QUESTIONNAIRE_ITEM_CONTROL, UCUM_SYSTEM } from './crd-codes.ts';

/** What a questionnaire is generated from: a decidable version and its fact schema. */
export interface QuestionnaireSource {
  readonly url: string;
  readonly versionId: string;
  readonly guidelineNumber: string;
  readonly title: string;
  /** YYYY-MM: the version's implementation month. */
  readonly implementationMonth: string;
  readonly effectiveFrom: string;
  readonly linesOfBusiness: readonly string[];
  readonly facts: readonly FactRequirementView[];
}

/** Items that are not facts of the rule set but every decision needs: when, and under which plan. */
export const DATE_OF_SERVICE = 'dateOfService';
export const LINE_OF_BUSINESS = 'lineOfBusiness';

const ITEM_TYPE: Readonly<Record<string, QuestionnaireItem['type']>> = { boolean: 'boolean', number: 'decimal', integer: 'integer', date: 'date', enum: 'choice' };

const display = (code: string): string => code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, ' ');

/** One item per fact: its type from the fact type, answer options from the allowed values, its UCUM unit and bounds. */
export function factItem(fact: FactRequirementView): QuestionnaireItem {
  const type = ITEM_TYPE[fact.type];
  if (!type) throw new Error(`fact ${fact.key} has type ${fact.type}, which no questionnaire item type carries`);
  const extension: NonNullable<QuestionnaireItem['extension']> = [];
  if (fact.unit && (type === 'decimal' || type === 'integer')) extension.push({ url: QUESTIONNAIRE_ITEM_CONTROL, valueCoding: { system: UCUM_SYSTEM, code: fact.unit, display: fact.unit } });
  const bound = (url: string, value: number | null) => {
    if (value === null) return;
    extension.push(type === 'integer' ? { url, valueInteger: value } : { url, valueDecimal: value });
  };
  if (type === 'decimal' || type === 'integer') {
    bound('http://hl7.org/fhir/StructureDefinition/minValue', fact.minimum);
    bound('http://hl7.org/fhir/StructureDefinition/maxValue', fact.maximum);
  }
  return {
    linkId: fact.key, text: fact.question, type, required: false,
    ...(type === 'choice' ? { answerOption: (fact.allowedValues ?? []).map((value) => ({ valueCoding: { code: value, display: display(value) } })) } : {}),
    ...(extension.length > 0 ? { extension } : {}),
  };
}

/** The context items: the date of service and the line of business (the version's own codes). */
export function contextItems(source: Pick<QuestionnaireSource, 'linesOfBusiness'>): QuestionnaireItem[] {
  return [
    { linkId: DATE_OF_SERVICE, text: 'On what day is the drug to be given (date of service)?', type: 'date', required: true },
    { linkId: LINE_OF_BUSINESS, text: "Under which of the guideline's lines of business is the member covered?", type: 'choice', required: true, answerOption: source.linesOfBusiness.map((code) => ({ valueCoding: { code, display: display(code) } })) },
  ];
}

/**
 * The DTR questionnaire of a version: the context items, then one item per fact of its rule set
 * in the rule set's order. No `enableWhen`: which facts a decision needs depends on the answers,
 * and the three-valued rules on the server know it (`$next-question` asks only those).
 */
export function versionQuestionnaire(source: QuestionnaireSource): Questionnaire {
  return {
    resourceType: 'Questionnaire',
    id: source.versionId,
    url: source.url,
    version: source.implementationMonth,
    name: source.guidelineNumber.replace(/[^A-Za-z0-9_]/g, '_'),
    title: source.title,
    status: 'active',
    subjectType: ['Patient'],
    date: source.effectiveFrom,
    item: [...contextItems(source), ...source.facts.map(factItem)],
  };
}

/** A problem with one answer, named by its item. */
export interface AnswerProblem {
  readonly linkId: string;
  readonly message: string;
}

/** Answers read back as facts (and the two context items), typed by the items they answer. */
export interface ReadAnswers {
  readonly dateOfService: string | null;
  readonly lineOfBusiness: string | null;
  readonly facts: readonly { readonly key: string; readonly value: unknown }[];
  readonly problems: readonly AnswerProblem[];
}

function flatten(items: readonly QuestionnaireResponseItem[] | undefined): QuestionnaireResponseItem[] {
  return (items ?? []).flatMap((item) => [item, ...flatten(item.item)]);
}

/** Reads a QuestionnaireResponse's answers against the items of the questionnaire: an answer of the wrong type, or to no item, is a problem. */
export function readAnswers(questionnaire: Questionnaire, response: QuestionnaireResponse): ReadAnswers {
  const items = new Map((questionnaire.item ?? []).map((item) => [item.linkId, item]));
  const problems: AnswerProblem[] = [];
  const facts: { key: string; value: unknown }[] = [];
  let dateOfService: string | null = null;
  let lineOfBusiness: string | null = null;
  const seen = new Set<string>();
  for (const answered of flatten(response.item)) {
    const linkId = answered.linkId;
    const item = items.get(linkId);
    if (!item) {
      problems.push({ linkId, message: 'answers no item of the questionnaire' });
      continue;
    }
    if (seen.has(linkId)) {
      problems.push({ linkId, message: 'answered more than once' });
      continue;
    }
    seen.add(linkId);
    const answers = answered.answer ?? [];
    if (answers.length === 0) continue;
    if (answers.length > 1) {
      problems.push({ linkId, message: 'has more than one answer' });
      continue;
    }
    const answer = answers[0] as NonNullable<QuestionnaireResponseItem['answer']>[number];
    let value: unknown;
    switch (item.type) {
      case 'boolean': value = answer.valueBoolean; break;
      case 'integer': value = answer.valueInteger; break;
      case 'decimal': value = answer.valueDecimal ?? answer.valueInteger; break;
      case 'date': value = answer.valueDate; break;
      case 'choice': {
        const chosen = answer.valueCoding?.code ?? answer.valueString;
        value = (item.answerOption ?? []).some((option) => option.valueCoding?.code === chosen) ? chosen : undefined;
        if (chosen !== undefined && value === undefined) {
          problems.push({ linkId, message: `"${chosen}" is not one of its options` });
          continue;
        }
        break;
      }
      default: value = undefined;
    }
    if (value === undefined) {
      problems.push({ linkId, message: `needs a ${item.type} answer` });
      continue;
    }
    if (linkId === DATE_OF_SERVICE) dateOfService = value as string;
    else if (linkId === LINE_OF_BUSINESS) lineOfBusiness = value as string;
    else facts.push({ key: linkId, value });
  }
  return { dateOfService, lineOfBusiness, facts, problems };
}
