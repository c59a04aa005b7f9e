/**
 * A small JSON Schema (draft-07) validator for the keywords our schemas use,
 * so tests check records against the published JSON Schemas themselves, not
 * only the zod model they came from. A keyword it does not know is an error,
 * so a schema cannot pass for want of checking.
 */
import type { JsonSchema } from '../schemas.ts';

const ANNOTATIONS = new Set(['$schema', 'title', 'description']);
const FORMATS: Record<string, (s: string) => boolean> = {
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)),
};

/** Problems found, empty when `value` is valid. */
export function validateJsonSchema(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    switch (keyword) {
      case 'type': {
        const types = Array.isArray(arg) ? (arg as string[]) : [arg as string];
        if (!types.some((t) => hasType(value, t))) errors.push(`${path}: not of type ${types.join('|')}`);
        break;
      }
      case 'properties':
        if (isObject(value)) {
          for (const [name, sub] of Object.entries(arg as Record<string, JsonSchema>)) {
            if (Object.hasOwn(value, name)) errors.push(...validateJsonSchema(sub, value[name], `${path}.${name}`));
          }
        }
        break;
      case 'required':
        if (isObject(value)) {
          for (const name of arg as string[]) if (!Object.hasOwn(value, name)) errors.push(`${path}: ${name} missing`);
        }
        break;
      case 'additionalProperties': {
        if (arg !== false) throw new Error(`additionalProperties ${JSON.stringify(arg)} not supported`);
        const known = Object.keys((schema.properties as object | undefined) ?? {});
        if (isObject(value)) {
          for (const name of Object.keys(value)) if (!known.includes(name)) errors.push(`${path}: extra field ${name}`);
        }
        break;
      }
      case 'anyOf':
        if (!(arg as JsonSchema[]).some((sub) => validateJsonSchema(sub, value, path).length === 0)) {
          errors.push(`${path}: matches no alternative`);
        }
        break;
      case 'enum':
        if (!(arg as unknown[]).includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(arg as string, 'u').test(value)) {
          errors.push(`${path}: does not match ${arg}`);
        }
        break;
      case 'format':
        if (typeof value === 'string') {
          const check = FORMATS[arg as string];
          if (!check) throw new Error(`format ${arg} not supported`);
          if (!check(value)) errors.push(`${path}: not a ${arg}`);
        }
        break;
      case 'minLength':
        if (typeof value === 'string' && value.length < (arg as number)) errors.push(`${path}: shorter than ${arg}`);
        break;
      case 'minimum':
        if (typeof value === 'number' && value < (arg as number)) errors.push(`${path}: below ${arg}`);
        break;
      case 'maximum':
        if (typeof value === 'number' && value > (arg as number)) errors.push(`${path}: above ${arg}`);
        break;
      default:
        throw new Error(`JSON Schema keyword ${keyword} not supported by this checker`);
    }
  }
  return errors;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    default:
      throw new Error(`type ${type} not supported`);
  }
}
