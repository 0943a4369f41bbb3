// zod issues as the API's field errors (JSON pointers into the body).
import type { z } from 'zod';
import { AppError, type FieldError } from './errors.ts';

/** JSON pointer for a zod path. */
export function pointer(path: PropertyKey[]): string {
  return '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** Parses input with the schema or throws an 'invalid' AppError listing every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, message: string): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const errors: FieldError[] = r.error.issues.map((i) => ({ pointer: pointer(i.path), detail: i.message }));
  throw new AppError('invalid', message, errors);
}
