// RFC 9457 problem details for API errors.
import { isAppError, type FieldError } from '../errors.ts';
import { log } from '../log.ts';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
};

/** A problem+json response. */
export function problem(status: number, detail: string, errors: FieldError[] = [], headers: Record<string, string> = {}): Response {
  const body: Record<string, unknown> = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
  };
  if (errors.length) body.errors = errors;
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
  });
}

/** Maps any thrown value to a problem response; unexpected errors are logged, never shown. */
export function problemFromError(err: unknown): Response {
  if (isAppError(err)) return problem(err.status, err.message, err.errors);
  log.error({ err }, 'unexpected error in API request');
  return problem(500, 'Something went wrong on our side. Nothing was changed; please retry.');
}
