// One way for a page to run a form: read the posted fields, run the work, and turn an expected
// failure (an AppError) into what the page shows (field errors by name, a message, a status)
// instead of each page writing its own try/catch. Anything else still fails loudly.
import { isAppError, type AppError, type AppErrorKind, type FieldError } from '../errors.ts';
import { readForm } from './read-body.ts';

/** What a form page needs of Astro's context: `Astro` itself fits. */
interface PageContext {
  request: Request;
  response: { status?: number };
}

export interface FormOptions {
  /** The AppError kinds this page answers itself (default: every kind); others go on to the middleware. */
  kinds?: AppErrorKind[];
  /** The status the page answers a failure with (default: the error's own; 'unchanged' leaves it); a body over the limit is always 413. */
  status?: ((err: AppError) => number) | 'unchanged';
}

export interface FormOutcome<T> {
  ok: boolean;
  /** What the work returned (ok only). */
  value: T | undefined;
  /** A Response the work returned (a redirect after POST), for the page to answer with. */
  response: Response | null;
  /** The posted fields as text (a file reads as ''), to show the shopper's words again. */
  values: Record<string, string>;
  /** The failure, or null. */
  error: AppError | null;
  /** Field errors by JSON pointer ("/rating"), the first for each field. */
  errors: Map<string, string>;
  /** The failure's field errors as they came. */
  fieldErrors: FieldError[];
  /** The failure's message, or null. */
  message: string | null;
  /** What to list: each field error's detail, or the message alone. */
  reasons: string[];
  /** One line: "message: detail; detail", or the message alone. */
  summary: string | null;
  /** One line naming each field: "message: status must be one of…; cursor is not valid". */
  fieldSummary: string | null;
}

/** Reads the posted form and runs `work` with it; an expected failure becomes the page's errors and status. */
export async function handleForm<T>(
  page: PageContext,
  work: (form: FormData, values: Record<string, string>) => Promise<T> | T,
  opts: FormOptions = {},
): Promise<FormOutcome<T>> {
  let values: Record<string, string> = {};
  return settle(
    page,
    async () => {
      const form = await readForm(page.request);
      values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : '']));
      return work(form, values);
    },
    () => values,
    opts,
  );
}

/** Runs work that reads no body (a GET form's query, a list's filters); an expected failure as in handleForm. */
export async function handleInput<T>(page: PageContext, work: () => Promise<T> | T, opts: FormOptions = {}): Promise<FormOutcome<T>> {
  return settle(page, work, () => ({}), opts);
}

async function settle<T>(
  page: PageContext,
  work: () => Promise<T> | T,
  values: () => Record<string, string>,
  opts: FormOptions,
): Promise<FormOutcome<T>> {
  try {
    const value = await work();
    return { ...empty(values()), ok: true, value, response: value instanceof Response ? value : null };
  } catch (err) {
    if (!isAppError(err) || (opts.kinds && !opts.kinds.includes(err.kind))) throw err;
    // A body over the size limit is a 413 whatever the page maps its own failures to.
    if (err.kind === 'too_large') page.response.status = err.status;
    else if (opts.status !== 'unchanged') page.response.status = opts.status ? opts.status(err) : err.status;
    const errors = new Map<string, string>();
    for (const e of err.errors) if (!errors.has(e.pointer)) errors.set(e.pointer, e.detail);
    return {
      ...empty(values()),
      error: err,
      errors,
      fieldErrors: err.errors,
      message: err.message,
      reasons: err.errors.length ? err.errors.map((e) => e.detail) : [err.message],
      summary: err.errors.length ? `${err.message}: ${err.errors.map((e) => e.detail).join('; ')}` : err.message,
      fieldSummary: `${err.message}: ${err.errors.map((e) => `${e.pointer.slice(1)} ${e.detail}`).join('; ')}`,
    };
  }
}

function empty<T>(values: Record<string, string>): FormOutcome<T> {
  return {
    ok: false,
    value: undefined,
    response: null,
    values,
    error: null,
    errors: new Map(),
    fieldErrors: [],
    message: null,
    reasons: [],
    summary: null,
    fieldSummary: null,
  };
}
