/**
 * Mozilla Readability (Firefox Reader View's extractor) as one candidate body:
 * it scores paragraphs' containers by text, commas and class/id hints and keeps
 * the best one with its related siblings.
 */
import { Readability } from '@mozilla/readability';
import type { DomDocument, DomElement } from './dom.js';

/** Readability's body element, or null when it finds none. Mutates the document. */
export function readabilityBody(document: DomDocument): DomElement | null {
  // Readability is typed against lib.dom's Document, which this project does not compile with.
  const reader = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
    serializer: (node) => node as unknown as DomElement,
    disableJSONLD: true,
  });
  const result = reader.parse();
  return (result?.content as DomElement | null | undefined) ?? null;
}
