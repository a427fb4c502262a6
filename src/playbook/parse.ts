import path from 'node:path';
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { PlaybookError, type SourcePos } from './errors.js';
import type { Module } from './module-types.js';
import { checkTemplate, TemplateError } from './template.js';
import type { Play, Playbook, Task, WhenClause } from './types.js';
import { suggest, validateArgs } from './validate-args.js';
import { parseWhen, WhenError } from './when.js';
import { readYaml, type YamlSource } from './yaml-source.js';

// Playbook text → validated Playbook. Everything that can be checked before a host is
// touched is checked here: structure, keys, module names and options, option types,
// `when` syntax, template syntax. Each error has file:line:column, expected vs got, fix.

const PLAY_KEYS = ['name', 'hosts', 'vars', 'become', 'tasks', 'tags', 'gather_facts'];
const TASK_KEYS = ['name', 'when', 'tags', 'register', 'ignore_errors', 'timeout', 'become', 'changed_when', 'failed_when', 'vars', 'check_mode'];

type Lookup = (name: string) => Module | undefined;

interface Ctx {
  loadError?: (name: string) => string | undefined;
  y: YamlSource;
  file: string;
  modules: Lookup;
  moduleNames: string[];
}

function typeName(n: unknown): string {
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  if (isScalar(n)) return n.value === null ? 'nothing (empty)' : `${typeof n.value} ${JSON.stringify(n.value)}`.slice(0, 80);
  return 'nothing';
}

function pairs(m: YAMLMap): Array<{ key: string; keyNode: Node; value: Node | null; pair: Pair }> {
  return m.items.map((pair) => {
    const k = pair.key as Node;
    return { key: isScalar(k) ? String(k.value) : String(k), keyNode: k, value: (pair.value as Node | null) ?? null, pair };
  });
}

function str(c: Ctx, n: Node | null, what: string, at: SourcePos): string {
  if (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number')) return String(n.value);
  throw new PlaybookError(c.y.at(n, at), { message: `${what} must be a string`, expected: 'a string', got: typeName(n), fix: `write ${what.split(' ').pop()}: "…"` });
}

function bool(c: Ctx, n: Node | null, what: string, at: SourcePos): boolean {
  if (isScalar(n) && typeof n.value === 'boolean') return n.value;
  throw new PlaybookError(c.y.at(n, at), { message: `${what} must be true or false`, expected: 'true | false (yes | no)', got: typeName(n), fix: `write ${what.split(' ').pop()}: true` });
}

function varsMap(c: Ctx, n: Node | null, what: string, at: SourcePos): Record<string, unknown> {
  if (n === null || (isScalar(n) && n.value === null)) return {};
  if (!isMap(n)) throw new PlaybookError(c.y.at(n, at), { message: `${what} must be a mapping of names to values`, expected: 'name: value lines', got: typeName(n), fix: 'indent "name: value" pairs under vars:' });
  for (const p of pairs(n)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.key))
      throw new PlaybookError(c.y.at(p.keyNode, at), { message: `variable name "${p.key}" is not valid`, expected: 'letters, digits and _, not starting with a digit', got: p.key, fix: `rename it, e.g. "${p.key.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([0-9])/, '_$1')}"` });
  }
  return c.y.js(n) as Record<string, unknown>;
}

function tagList(c: Ctx, n: Node | null, at: SourcePos): string[] {
  if (n === null) return [];
  if (isScalar(n) && typeof n.value === 'string') return n.value.split(',').map((s) => s.trim()).filter(Boolean);
  if (isSeq(n) && n.items.every((i) => isScalar(i) && (typeof i.value === 'string' || typeof i.value === 'number'))) return n.items.map((i) => String((i as { value: unknown }).value));
  throw new PlaybookError(c.y.at(n, at), { message: 'tags must be a string or a list of strings', expected: 'tags: [web, fix] or tags: web', got: typeName(n), fix: 'write tags as a list of names' });
}

function whenList(c: Ctx, n: Node | null, key: string, at: SourcePos): WhenClause[] {
  if (n === null) return [];
  const items: Node[] = isSeq(n) ? (n.items as Node[]) : [n];
  return items.map((item) => {
    const pos = c.y.at(item, at);
    if (!isScalar(item) || item.value === null || typeof item.value === 'object')
      throw new PlaybookError(pos, { message: `${key} must be an expression (or a list of them, all must hold)`, expected: `${key}: x == 1 and y is defined`, got: typeName(item), fix: 'quote the expression if it starts with a YAML special character' });
    const src = String(item.value);
    if (src.includes('{{'))
      throw new PlaybookError(pos, { message: `${key} is an expression already: it must not contain {{ }}`, expected: `${key}: my_var == "x"`, got: src, fix: 'remove the {{ }} around the variable names' });
    try {
      return { src, expr: parseWhen(src), pos };
    } catch (e) {
      if (!(e instanceof WhenError)) throw e;
      // column of the problem: the scalar's column + offset (+1 for an opening quote)
      const quoted = item.type === 'QUOTE_DOUBLE' || item.type === 'QUOTE_SINGLE' ? 1 : 0;
      throw new PlaybookError({ ...pos, column: pos.column + quoted + e.offset }, { message: `${key}: ${e.message}`, got: src, expected: 'an expression like: a == "x" and (b > 2 or c is defined) and "y" in list', fix: 'check the operators (==, !=, <, >, and, or, not, in, is defined) and quotes around strings' });
    }
  });
}

function checkTemplates(c: Ctx, v: unknown, at: SourcePos): void {
  if (typeof v === 'string') {
    try {
      checkTemplate(v);
    } catch (e) {
      if (e instanceof TemplateError) throw new PlaybookError(at, { message: e.message, got: v.slice(0, 120), ...(e.fix ? { fix: e.fix } : {}) });
      throw e;
    }
  } else if (Array.isArray(v)) v.forEach((x) => checkTemplates(c, x, at));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => checkTemplates(c, x, at));
}

/** An unnamed task is called after its module and main option: "file /etc/x", "shell echo hi". */
function defaultName(module: string, args: Record<string, unknown>): string {
  const key = ['path', 'dest', 'name', 'cmd', 'argv', 'msg', 'var', 'port', 'seconds'].find((k) => args[k] !== undefined);
  if (!key) return module;
  const v = args[key];
  const text = Array.isArray(v) ? v.join(' ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return `${module} ${['port', 'seconds', 'var'].includes(key) ? key + ' ' : ''}${text.length > 60 ? text.slice(0, 60) + '…' : text}`;
}

function parseTask(c: Ctx, n: Node, index: number, playPos: SourcePos): Task {
  const pos = c.y.at(n, playPos);
  if (!isMap(n)) throw new PlaybookError(pos, { message: `task ${index + 1} must be a mapping`, expected: '- name: …\n    <module>: <options>', got: typeName(n), fix: 'indent the task keys under "- "' });
  const ps = pairs(n);
  const moduleKeys = ps.filter((p) => !TASK_KEYS.includes(p.key));
  const name0 = ps.find((p) => p.key === 'name');
  const label = name0 && isScalar(name0.value) ? `task "${String(name0.value.value)}"` : `task ${index + 1}`;
  if (moduleKeys.length === 0)
    throw new PlaybookError(pos, { message: `${label} names no module`, expected: `one of the modules: ${c.moduleNames.join(', ')}`, got: `keys ${ps.map((p) => p.key).join(', ')}`, fix: 'add e.g. "shell: echo hello" to the task' });
  for (const mk of moduleKeys) {
    if (!c.modules(mk.key)) {
      const s = suggest(mk.key, [...c.moduleNames, ...TASK_KEYS]);
      const broken = c.loadError?.(mk.key);
      if (broken) throw new PlaybookError(c.y.at(mk.keyNode, pos), { message: `module ${mk.key} could not be loaded: ${broken}`, fix: `fix src/modules/${mk.key}.ts and rebuild` });
      throw new PlaybookError(c.y.at(mk.keyNode, pos), { message: `unknown module or task keyword "${mk.key}" in ${label}`, expected: `a module (${c.moduleNames.join(', ')}) or a task keyword (${TASK_KEYS.join(', ')})`, got: mk.key, fix: s ? `did you mean "${s}"?` : 'check the spelling, or write the module in src/modules/' });
    }
  }
  if (moduleKeys.length > 1)
    throw new PlaybookError(c.y.at(moduleKeys[1]!.keyNode, pos), { message: `${label} names two modules (${moduleKeys.map((m) => m.key).join(', ')})`, expected: 'exactly one module per task', got: moduleKeys.map((m) => m.key).join(', '), fix: 'split it into two tasks' });
  const mk = moduleKeys[0]!;
  const mod = c.modules(mk.key)!;
  const modulePos = c.y.at(mk.keyNode, pos);
  let args: Record<string, unknown> = {};
  const argPos: Record<string, SourcePos> = {};
  const v = mk.value;
  if (isMap(v)) {
    for (const p of pairs(v)) argPos[p.key] = c.y.at(p.keyNode, modulePos);
    args = (c.y.js(v) as Record<string, unknown>) ?? {};
  } else if (v !== null && !(isScalar(v) && v.value === null)) {
    if (!mod.freeForm)
      throw new PlaybookError(c.y.at(v, modulePos), { message: `module ${mod.name} takes options as a mapping`, expected: `${mod.name}:\n      ${Object.keys(mod.options)[0]}: …`, got: typeName(v), fix: 'put the options on their own lines under the module' });
    args = { [mod.freeForm]: c.y.js(v) };
    argPos[mod.freeForm] = c.y.at(v, modulePos);
  }
  validateArgs(mod, args, modulePos, argPos);
  for (const [k, val] of Object.entries(args)) checkTemplates(c, val, argPos[k] ?? modulePos);

  const task: Task = { name: '', module: mod.name, args, pos, modulePos, argPos, when: [], changedWhen: [], failedWhen: [], tags: [], ignoreErrors: false, vars: {} };
  for (const p of ps) {
    const at = c.y.at(p.value ?? p.keyNode, pos);
    switch (p.key) {
      case 'name': task.name = str(c, p.value, 'the task name', at); checkTemplates(c, task.name, at); break;
      case 'when': task.when = whenList(c, p.value, 'when', at); break;
      case 'changed_when': task.changedWhen = whenList(c, p.value, 'changed_when', at); break;
      case 'failed_when': task.failedWhen = whenList(c, p.value, 'failed_when', at); break;
      case 'tags': task.tags = tagList(c, p.value, at); break;
      case 'register': {
        const r = str(c, p.value, 'register', at);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(r)) throw new PlaybookError(at, { message: `register name "${r}" is not a valid variable name`, expected: 'letters, digits and _', got: r, fix: `register: ${r.replace(/[^A-Za-z0-9_]/g, '_')}` });
        task.register = r;
        break;
      }
      case 'ignore_errors': task.ignoreErrors = bool(c, p.value, 'ignore_errors', at); break;
      case 'become': task.become = bool(c, p.value, 'become', at); break;
      case 'check_mode': task.checkMode = bool(c, p.value, 'check_mode', at); break;
      case 'vars': task.vars = varsMap(c, p.value, 'task vars', at); break;
      case 'timeout': {
        if (!(isScalar(p.value) && typeof p.value.value === 'number' && p.value.value > 0))
          throw new PlaybookError(at, { message: 'timeout must be a positive number of seconds', expected: 'timeout: 30', got: typeName(p.value), fix: 'write the number of seconds without units' });
        task.timeoutSec = p.value.value;
        break;
      }
    }
  }
  if (!task.name) task.name = defaultName(mod.name, args);
  return task;
}

function parsePlay(c: Ctx, n: Node, index: number, docPos: SourcePos): Play {
  const pos = c.y.at(n, docPos);
  if (!isMap(n)) throw new PlaybookError(pos, { message: `play ${index + 1} must be a mapping`, expected: '- name: …\n  hosts: all\n  tasks: […]', got: typeName(n), fix: 'a playbook is a list of plays, each with hosts and tasks' });
  const play: Play = { name: `play ${index + 1}`, hosts: '', vars: {}, become: false, tags: [], tasks: [], pos };
  let tasksNode: Node | null = null;
  let sawHosts = false;
  for (const p of pairs(n)) {
    const at = c.y.at(p.value ?? p.keyNode, pos);
    switch (p.key) {
      case 'name': play.name = str(c, p.value, 'the play name', at); break;
      case 'hosts': {
        sawHosts = true;
        if (isSeq(p.value)) play.hosts = (c.y.js(p.value) as unknown[]).map(String).join(':');
        else play.hosts = str(c, p.value, 'hosts', at);
        break;
      }
      case 'vars': play.vars = varsMap(c, p.value, 'play vars', at); break;
      case 'become': play.become = bool(c, p.value, 'become', at); break;
      case 'tags': play.tags = tagList(c, p.value, at); break;
      case 'gather_facts': bool(c, p.value, 'gather_facts', at); break;
      case 'tasks': tasksNode = p.value; break;
      default: {
        const s = suggest(p.key, PLAY_KEYS);
        throw new PlaybookError(c.y.at(p.keyNode, pos), { message: `unknown play keyword "${p.key}"`, expected: `one of ${PLAY_KEYS.join(', ')}`, got: p.key, fix: s ? `did you mean "${s}"?` : p.key in Object.fromEntries(c.moduleNames.map((m) => [m, 1])) ? 'modules go inside a task under tasks:' : `remove "${p.key}"` });
      }
    }
  }
  if (!sawHosts) throw new PlaybookError(pos, { message: `${play.name} has no hosts`, expected: 'hosts: all (or a group, or an Ansible pattern)', got: 'no hosts key', fix: 'add "hosts: all" to the play' });
  if (tasksNode === null || (isScalar(tasksNode) && tasksNode.value === null)) return play;
  if (!isSeq(tasksNode)) throw new PlaybookError(c.y.at(tasksNode, pos), { message: 'tasks must be a list', expected: 'tasks:\n    - name: …', got: typeName(tasksNode), fix: 'start each task with "- "' });
  play.tasks = (tasksNode.items as Node[]).map((t, i) => parseTask(c, t, i, pos));
  return play;
}

/** Parse and validate a playbook's text (`file` is used in messages and for relative paths). */
export function parsePlaybook(text: string, file: string, modules: Lookup, moduleNames: string[], loadError?: (name: string) => string | undefined): Playbook {
  const y = readYaml(text, file);
  const c: Ctx = { y, file, modules, moduleNames, ...(loadError ? { loadError } : {}) };
  const root = y.doc.contents as Node | null;
  const docPos = { file, line: 1, column: 1 };
  if (!isSeq(root))
    throw new PlaybookError(y.at(root, docPos), { message: 'a playbook must be a list of plays', expected: '- name: …\n  hosts: all\n  tasks: […]', got: typeName(root), fix: isMap(root) ? 'put "- " before the first key to make the play a list item' : 'start the file with "- hosts: all"' });
  const plays = (root.items as Node[]).map((p, i) => parsePlay(c, p, i, docPos));
  return { file, dir: path.dirname(path.resolve(file)), plays };
}
