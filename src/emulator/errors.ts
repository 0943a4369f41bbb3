// EasyPost-shaped errors. The body is always {"error": {"code", "message", "errors"}} (see the recorded
// error-*.json fixtures); @easypost/api reads `error.code/message/errors` and picks its error class by status.

export interface ErrorBody {
  error: { code: string; message: string; errors: unknown[] };
}

/** An error a route handler throws; the server turns it into an EasyPost error response. */
export class ApiError extends Error {
  status: number;
  body: ErrorBody;
  constructor(status: number, code: string, message: string, errors: unknown[] = []) {
    super(message);
    this.status = status;
    this.body = { error: { code, message, errors } };
  }
}

/** 404 exactly as error-404-not-found.json. */
export function notFound(): ApiError {
  return new ApiError(404, 'NOT_FOUND', 'The requested resource could not be found.');
}

/** 403 exactly as error-403-apikey-inactive.json. */
export function apiKeyInactive(): ApiError {
  return new ApiError(403, 'APIKEY.INACTIVE', 'This api key is no longer active. Please use a different api key or reactivate this key.');
}

/** 401 for a request without credentials. */
export function apiKeyRequired(): ApiError {
  return new ApiError(401, 'APIKEY.REQUIRED', 'Please provide an API key via HTTP Basic authentication.');
}

/** 422 shaped like error-422-parameter-required.json. */
export function parameterRequired(field: string): ApiError {
  return new ApiError(422, 'PARAMETER.REQUIRED', 'Missing required parameter.', [{ field, message: 'cannot be blank' }]);
}

/** 400 for a body that is not JSON. */
export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BAD_REQUEST', message);
}

// Default code/message per status for injected faults; EasyPost documents the same {"error": …} shape for 429/5xx.
const FAULT_DEFAULTS: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', 'The request could not be understood.'],
  401: ['APIKEY.UNAUTHORIZED', 'The API key is not authorized.'],
  408: ['TIMEOUT', 'The request timed out.'],
  429: ['RATE_LIMITED', 'You have exceeded the rate limit. Please retry after a short wait.'],
  500: ['INTERNAL_SERVER_ERROR', 'Something went wrong on our end. Please try again later.'],
  502: ['BAD_GATEWAY', 'The upstream service returned an invalid response.'],
  503: ['SERVICE_UNAVAILABLE', 'The service is temporarily unavailable. Please try again later.'],
  504: ['GATEWAY_TIMEOUT', 'The upstream service timed out.'],
};

/** The error for an injected fault's status. */
export function faultError(status: number, code?: string, message?: string): ApiError {
  const [defCode, defMessage] = FAULT_DEFAULTS[status] ?? ['UNKNOWN_ERROR', 'An unexpected error occurred.'];
  return new ApiError(status, code ?? defCode, message ?? defMessage);
}
