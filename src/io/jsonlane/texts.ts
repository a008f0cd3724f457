/**
 * The source text (compact) of each member of a parsed JSON object, by key, when the JSON lane
 * read it. Writers use it for the members the activation leaves alone, so they are written as
 * they came and not as JSON.stringify would write them (11111111112222222222 keeps its digits,
 * 1.0 and "\\u0041" keep their spelling).
 */
import { DocumentLane, type LaneStep, type MemberTexts } from './documents.js';
import { JsonScanner, JsonSyntaxError } from './scan.js';
import { utf8Text } from '../fastlane/bytes.js';

export const memberTexts = new WeakMap<object, ReadonlyMap<string, string>>();

/** Record the texts of a parsed document's object, or of its records. */
export function rememberTexts(value: unknown, texts: MemberTexts | undefined): void {
  if (!texts || typeof value !== 'object' || value === null) return;
  if (!Array.isArray(value)) {
    if (texts.top) memberTexts.set(value, texts.top);
    return;
  }
  texts.records.forEach((t, i) => {
    const r: unknown = value[i];
    if (t && typeof r === 'object' && r !== null && !Array.isArray(r)) memberTexts.set(r, t);
  });
}

/** Every document is only copied (generalOnly): the step is never asked for values. */
const COPY_ONLY: LaneStep = { anyRun: true, wholeVectors: false, axis: -1, keepsLength: true, run() {}, strided() {} };

/** The copy-only lane's run over one JSON text: the lane, or what stopped it (a syntax error, mostly). */
function scan(text: string): { lane: DocumentLane } | { error: unknown } {
  const lane = new DocumentLane({ step: COPY_ONLY, onInvalid: 'keep', generalOnly: true, nonfinite: 'null', onNonfinite() {} });
  const bytes = Buffer.from(text);
  try {
    new JsonScanner(lane).run(bytes, 0, bytes.length, true);
  } catch (error) {
    return { error };
  }
  return { lane };
}

/** The lane's run over one JSON text, copying it compact; undefined if it is not one valid document. */
function copied(text: string): DocumentLane | undefined {
  const r = scan(text);
  return 'lane' in r && r.lane.items.length === 1 ? r.lane : undefined;
}

/** The JSON lane's syntax error in a text (line and column within it, and its words), or undefined when it scans. */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const r = scan(text);
  if (!('error' in r)) return undefined;
  if (r.error instanceof JsonSyntaxError) return r.error;
  throw r.error;
}

/** The members' texts of one JSON document's text (an object, or an array of records); undefined if it is not one valid document. */
export function documentTexts(text: string): MemberTexts | undefined {
  return copied(text)?.items[0].texts;
}

/** The compact text of each element of one JSON array's text (an NDJSON line); undefined if it is not one valid array. */
export function arrayElementTexts(text: string): string[] | undefined {
  const doc = copied(text)?.items[0].doc;
  if (!doc || doc[0] !== 91) return undefined;
  // Compact JSON: split at the commas of depth 1, outside strings.
  const parts: string[] = [];
  let depth = 0;
  let from = 1;
  let inString = false;
  for (let i = 0; i < doc.length; i++) {
    const c = doc[i];
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) depth++;
    else if (c === 93 || c === 125) {
      if (--depth === 0 && i > from) parts.push(utf8Text(doc, from, i));
    } else if (c === 44 && depth === 1) {
      parts.push(utf8Text(doc, from, i));
      from = i + 1;
    }
  }
  return parts;
}
