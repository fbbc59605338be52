/**
 * A platform's credentials and settings arrive as JSON Schema (GET /v1/connection-platforms,
 * made from the connector's zod schema): this turns one into the fields of a form, and the
 * typed values back into the object POST /v1/connections takes.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  default?: unknown;
  format?: string;
  maxLength?: number;
  description?: string;
}

export type FieldKind = 'text' | 'secret' | 'list' | 'choice' | 'switch' | 'number' | 'group';

export interface FormField {
  /** `settings.statuses.paid`: also the path of the server's field errors. */
  path: string;
  /** The property's own name (`paid`): what its label is looked up by. */
  name: string;
  kind: FieldKind;
  required: boolean;
  options: string[];
  defaultValue: unknown;
  format: string | undefined;
  maxLength: number | undefined;
  children: FormField[];
}

/** Typed values by field path: text for most fields, true/false for switches. */
export type FormValues = Record<string, string | boolean>;

function kindOf(schema: JsonSchema, secret: boolean): FieldKind {
  if (schema.enum?.every((v) => typeof v === 'string')) return 'choice';
  const types = [schema.type, ...(schema.anyOf ?? []).map((s) => s.type)].flat();
  if (schema.type === 'object' && schema.properties) return 'group';
  if (schema.type === 'array') return 'list';
  if (types.includes('string')) return secret ? 'secret' : 'text';
  if (schema.type === 'boolean') return 'switch';
  if (schema.type === 'integer' || schema.type === 'number') return 'number';
  return secret ? 'secret' : 'text';
}

/** The fields of an object schema under `prefix` (`credentials`, `settings`). Secret: every one. */
export function fieldsOf(schema: JsonSchema, prefix: string, secret: boolean): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const path = `${prefix}.${name}`;
    const kind = kindOf(property, secret);
    return {
      path,
      name,
      kind,
      required: required.has(name) && property.default === undefined,
      options: kind === 'choice' ? (property.enum as string[]) : [],
      defaultValue: property.default,
      format: property.format,
      maxLength: property.maxLength,
      children: kind === 'group' ? fieldsOf(property, path, secret) : [],
    };
  });
}

/** Every field, groups' fields included (for starting values and error lookups). */
export function flatten(fields: FormField[]): FormField[] {
  return fields.flatMap((f) => (f.kind === 'group' ? flatten(f.children) : [f]));
}

/** Starting values: a choice or a switch starts at its default; typed fields start empty. */
export function initialValues(fields: FormField[]): FormValues {
  const values: FormValues = {};
  for (const f of flatten(fields)) {
    if (f.kind === 'switch') values[f.path] = f.defaultValue === true;
    else if (f.kind === 'choice') values[f.path] = String(f.defaultValue ?? f.options[0] ?? '');
    else values[f.path] = '';
  }
  return values;
}

/**
 * The object to send: empty fields left out (so the platform's defaults apply), a list split at
 * commas, a group sent only when one of its fields is filled. Secrets are sent as typed.
 */
export function valuesToObject(fields: FormField[], values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.kind === 'group') {
      const inner = valuesToObject(f.children, values);
      const filled = flatten(f.children).some((c) => c.kind !== 'switch' && values[c.path] !== '');
      if (filled) out[f.name] = inner;
      continue;
    }
    const value = values[f.path];
    if (f.kind === 'switch') {
      out[f.name] = value === true;
      continue;
    }
    if (typeof value !== 'string') continue;
    if (f.kind === 'secret') {
      if (value !== '') out[f.name] = value;
      continue;
    }
    const text = value.trim();
    if (f.kind === 'list') {
      // An empty list inside a filled group still goes: the group needs it.
      out[f.name] = text === '' ? [] : text.split(/[\s,;]+/).filter(Boolean);
      if (text === '' && !f.required) delete out[f.name];
      continue;
    }
    if (text === '') continue;
    out[f.name] = f.kind === 'number' ? Number(text.replace(',', '.')) : text;
  }
  return out;
}

/** Fields a person must see at once (required, no default); the rest go under "More settings". */
export function splitFields(fields: FormField[]): { main: FormField[]; more: FormField[] } {
  return {
    main: fields.filter((f) => f.required),
    more: fields.filter((f) => !f.required),
  };
}
