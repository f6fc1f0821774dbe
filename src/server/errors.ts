import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { VidlensError } from '../core/errors.js';

/** An HTTP error with its status, raised by a route. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, `${what}: not found`);

/**
 * Every error as `{ error, statusCode }`: a request the caller must fix is a 400 naming the field,
 * vidlens's own input and usage errors are 400s with their message, and anything unexpected is a
 * 500 whose details go to the log, not to the client.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const problems = error.validation.map((v) => `${v.instancePath.replace(/^\//, '') || error.validationContext || 'request'}: ${v.message}`);
      return reply.code(400).send({ error: `${error.validationContext ?? 'request'} is invalid: ${problems.join('; ')}`, statusCode: 400 });
    }
    if (error instanceof HttpError) return reply.code(error.statusCode).send({ error: error.message, statusCode: error.statusCode });
    if (error instanceof VidlensError && error.kind !== 'runtime') return reply.code(400).send({ error: error.message, statusCode: 400 });
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: error.message, statusCode: error.statusCode });
    }
    request.log.error(error);
    return reply.code(500).send({ error: `internal error: ${error.message}`, statusCode: 500 });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `${request.method} ${request.url.split('?')[0]}: not found`, statusCode: 404 }));
}
