// Finds, with the TypeScript checker, code that would not survive the move to PostgreSQL or to
// async transaction bodies:
// - drizzle's synchronous SQLite calls (.get() .all() .run() .values()) and better-sqlite3's
//   result fields (.changes, .lastInsertRowid) outside src/server/db.ts (and its internals under
//   src/server/db/), judged by where the called
//   member is declared (so Map.get, searchParams.get, headers.get or formData.get never count);
// - promises left floating: an expression statement whose value is a promise and is neither
//   awaited, returned, nor explicitly discarded with `void`;
// - forEach given a callback that returns a promise (nothing waits for it), or map given one
//   without Promise.all/allSettled around it.
import ts from 'typescript';
import { relative, resolve } from 'node:path';

export interface Violation {
  file: string;
  line: number;
  rule: 'sync-query' | 'sqlite-result' | 'floating-promise' | 'async-callback';
  text: string;
}

const EXECUTING = new Set(['get', 'all', 'run', 'values']);
const RESULT_FIELDS = new Set(['changes', 'lastInsertRowid']);

/** Checks every .ts file of the project under `dirs` (and any extra in-memory files); returns what it found. */
export function findViolations(
  root: string,
  opts: {
    dirs: string[];
    /** Files allowed raw better-sqlite3 (a statement on a file they opened themselves), with the reason. */
    rawSqliteAllowed: Record<string, string>;
    /** Extra files (path relative to root → source), checked as if they were on disk. */
    virtualFiles?: Record<string, string>;
  },
): Violation[] {
  const configPath = resolve(root, 'tsconfig.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root);
  const virtual = new Map(Object.entries(opts.virtualFiles ?? {}).map(([p, s]) => [resolve(root, p), s]));
  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, create) => {
    const text = virtual.get(resolve(name));
    return text !== undefined ? ts.createSourceFile(name, text, lang, true) : getSourceFile(name, lang, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual.has(resolve(name)) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => virtual.get(resolve(name)) ?? readFile(name);

  const program = ts.createProgram({ rootNames: [...parsed.fileNames, ...virtual.keys()], options: parsed.options, host });
  const checker = program.getTypeChecker();
  const inDirs = (rel: string) => opts.dirs.some((d) => rel === d || rel.startsWith(`${d}/`));
  const found: Violation[] = [];

  for (const sf of program.getSourceFiles()) {
    const rel = relative(root, sf.fileName).split('\\').join('/');
    if (sf.isDeclarationFile || rel.startsWith('node_modules/') || !inDirs(rel)) continue;
    const isDbModule = rel === 'src/server/db.ts' || rel.startsWith('src/server/db/');
    const rawAllowed = rel in opts.rawSqliteAllowed;
    const report = (node: ts.Node, rule: Violation['rule']) => {
      const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      found.push({ file: rel, line: line + 1, rule, text: node.getText(sf).replace(/\s+/g, ' ').slice(0, 120) });
    };

    const visit = (node: ts.Node): void => {
      if (!isDbModule && ts.isPropertyAccessExpression(node)) {
        const name = node.name.text;
        if (EXECUTING.has(name) || RESULT_FIELDS.has(name)) {
          const origin = declaredIn(checker, node);
          if (origin === 'drizzle' && EXECUTING.has(name)) report(node, 'sync-query');
          if (origin === 'better-sqlite3' && !rawAllowed) report(node, EXECUTING.has(name) ? 'sync-query' : 'sqlite-result');
          if (origin === 'drizzle' && RESULT_FIELDS.has(name)) report(node, 'sqlite-result');
        }
      }
      if (!isDbModule && ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
        const name = (node.propertyName ?? node.name).getText(sf);
        if (RESULT_FIELDS.has(name)) {
          const holder = checker.getTypeAtLocation(node.parent);
          const prop = holder.getProperty(name);
          if (prop && originOf(prop) === 'better-sqlite3' && !rawAllowed) report(node, 'sqlite-result');
        }
      }
      if (ts.isExpressionStatement(node) && isFloating(checker, node.expression)) report(node, 'floating-promise');
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const callback = node.arguments[0];
        // forEach waits for nothing; map's promises are fine only when something awaits them all.
        if (method === 'forEach' && callback && returnsPromise(checker, callback)) report(node, 'async-callback');
        if (method === 'map' && callback && !awaitedTogether(node) && returnsPromise(checker, callback)) report(node, 'async-callback');
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

type Origin = 'drizzle' | 'better-sqlite3' | 'other';

function declaredIn(checker: ts.TypeChecker, node: ts.PropertyAccessExpression): Origin {
  const symbol = checker.getSymbolAtLocation(node.name);
  return symbol ? originOf(symbol) : 'other';
}

function originOf(symbol: ts.Symbol): Origin {
  for (const d of symbol.declarations ?? []) {
    const file = d.getSourceFile().fileName;
    // An insert's .values({...}) only sets the rows; it runs nothing.
    const owner = d.parent && (ts.isClassDeclaration(d.parent) || ts.isInterfaceDeclaration(d.parent)) ? d.parent.name?.text : undefined;
    if (file.includes('/node_modules/drizzle-orm/') && owner !== 'SQLiteInsertBuilder') return 'drizzle';
    if (file.includes('/node_modules/@types/better-sqlite3/')) return 'better-sqlite3';
  }
  return 'other';
}

function isThenable(checker: ts.TypeChecker, type: ts.Type): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((t) => {
    const then = t.getProperty('then');
    return then !== undefined && checker.getTypeOfSymbol(then).getCallSignatures().length > 0;
  });
}

function isFloating(checker: ts.TypeChecker, expr: ts.Expression): boolean {
  if (ts.isVoidExpression(expr) || ts.isAwaitExpression(expr)) return false;
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.EqualsToken) return false;
  // p.catch(handler) and p.then(ok, failed) handle their failure.
  if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression)) {
    const method = expr.expression.name.text;
    if (method === 'catch' || (method === 'then' && expr.arguments.length >= 2)) return false;
  }
  if (!ts.isCallExpression(expr) && !ts.isNewExpression(expr) && !ts.isIdentifier(expr) && !ts.isPropertyAccessExpression(expr))
    return false;
  return isThenable(checker, checker.getTypeAtLocation(expr));
}

function awaitedTogether(call: ts.CallExpression): boolean {
  const p = call.parent;
  return ts.isCallExpression(p) && /^Promise\.(all|allSettled)$/.test(p.expression.getText());
}

function returnsPromise(checker: ts.TypeChecker, fn: ts.Expression): boolean {
  return checker
    .getTypeAtLocation(fn)
    .getCallSignatures()
    .some((s) => isThenable(checker, s.getReturnType()));
}
