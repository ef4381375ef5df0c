import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problem, ProblemException } from '../errors/problem-details';

type JsonParser = (request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void) => void;

/**
 * JSON bodies are UTF-8 (RFC 8259 §8.1). Fastify's own parser decodes leniently, so
 * bytes that are no UTF-8 became U+FFFD and were recorded as if posted. Here the body is
 * read as bytes and decoded strictly; the text then goes to Fastify's own JSON parser
 * (the secure one, with its prototype-poisoning checks).
 */
export function useStrictUtf8Json(fastify: FastifyInstance, bodyLimit: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error') as JsonParser;
  // One decoder for every body: `fatal` throws at the first invalid sequence, and a
  // decode without `stream` leaves no state behind for the next body.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    let text: string;
    try {
      text = decoder.decode(body as Buffer);
    } catch {
      done(
        new ProblemException(problem(400, 'INVALID_JSON', 'The body is not valid JSON', 'The body is not valid UTF-8, the only encoding of JSON (RFC 8259).')),
      );
      return;
    }
    parseJson(request, text, done);
  });
}
