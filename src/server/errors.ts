// Expected failures are AppErrors; the HTTP edges map them once to problem+json or a page.

export type AppErrorKind = 'invalid' | 'not_found' | 'forbidden' | 'unauthorized' | 'conflict' | 'too_large' | 'rate_limited';

export interface FieldError {
  /** JSON pointer into the request body, e.g. "/items/0/sku". */
  pointer: string;
  detail: string;
  /** Shopper forms: which words say this in the shopper's language (a catalogue key's last part), and its values. */
  code?: string;
  values?: Record<string, string | number>;
}

const STATUS: Record<AppErrorKind, number> = {
  invalid: 422,
  not_found: 404,
  forbidden: 403,
  unauthorized: 401,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
};

/** A failure the caller can do something about, with the fields at fault. */
export class AppError extends Error {
  readonly kind: AppErrorKind;
  readonly errors: FieldError[];
  readonly status: number;

  constructor(kind: AppErrorKind, message: string, errors: FieldError[] = []) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.errors = errors;
    this.status = STATUS[kind];
  }
}

/** True for an AppError of the given kind (or any kind). */
export function isAppError(e: unknown, kind?: AppErrorKind): e is AppError {
  return e instanceof AppError && (kind === undefined || e.kind === kind);
}
