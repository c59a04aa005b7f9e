/**
 * The WITH clause: formats (FORMAT, KEY_FORMAT, VALUE_FORMAT, delimiters,
 * WRAP_SINGLE_VALUE), windowed sources (WINDOW_TYPE, WINDOW_SIZE) and the
 * event-time column (TIMESTAMP, TIMESTAMP_FORMAT), read and checked with
 * ksqlDB's messages.
 */
import { AnalysisError } from '../analyzer/expressions.ts';
import type { DataSource, WindowInfo } from '../metastore/metastore.ts';
import type { Properties, PropertyValue } from '../parser/ast.ts';
import { checkFormat, type FormatName, type FormatOptions, validateColumns } from '../serde/formats.ts';
import type { SchemaRegistryClient } from '../serde/schema-registry.ts';
import type { LogicalSchema } from '../types/schema.ts';
import { formatType } from '../types/sql-type.ts';

export interface SourceFormats {
  keyFormat: FormatName;
  valueFormat: FormatName;
  keyOptions: FormatOptions;
  valueOptions: FormatOptions;
}

/**
 * The key and value formats a WITH clause gives, falling back on `inherit`
 * (a query's first source, for CREATE ... AS SELECT) and then on the
 * `ksql.persistence.default.format.*` settings.
 */
export function withClauseFormats(
  props: Properties,
  defaults: { config: Readonly<Record<string, unknown>>; registry: SchemaRegistryClient },
  inherit: SourceFormats | null,
): SourceFormats {
  const format = stringProp(props, 'FORMAT');
  const keyProp = stringProp(props, 'KEY_FORMAT');
  const valueProp = stringProp(props, 'VALUE_FORMAT');
  if (format !== null && (keyProp !== null || valueProp !== null)) {
    throw new AnalysisError(
      `Cannot supply both 'FORMAT' and '${keyProp !== null ? 'KEY_FORMAT' : 'VALUE_FORMAT'}' properties, as 'FORMAT' sets both key and value formats.\nEither use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.`,
    );
  }
  const defaultKey = (defaults.config['ksql.persistence.default.format.key'] as string | undefined) ?? 'KAFKA';
  const defaultValue = defaults.config['ksql.persistence.default.format.value'] as string | undefined;
  const valueName = format ?? valueProp ?? inherit?.valueFormat ?? defaultValue ?? null;
  if (valueName === null)
    throw new AnalysisError(
      `Statement is missing the 'VALUE_FORMAT' property from the WITH clause.\nEither provide one or set a default via the 'ksql.persistence.default.format.value' config.`,
    );
  const keyName = format ?? keyProp ?? inherit?.keyFormat ?? defaultKey;
  const delimiter = stringProp(props, 'VALUE_DELIMITER');
  const keyDelimiter = stringProp(props, 'KEY_DELIMITER');
  const wrap = props.get('WRAP_SINGLE_VALUE');
  const keySchemaId = props.get('KEY_SCHEMA_ID');
  const valueSchemaId = props.get('VALUE_SCHEMA_ID');
  const keyOptions: FormatOptions = {
    registry: defaults.registry,
    ...(keyDelimiter !== null ? { delimiter: delimiterOf(keyDelimiter) } : {}),
    ...(typeof keySchemaId === 'number' ? { schemaId: keySchemaId } : {}),
  };
  const valueOptions: FormatOptions = {
    ...(inherit && valueProp === null && format === null && inherit.valueOptions.delimiter
      ? { delimiter: inherit.valueOptions.delimiter }
      : {}),
    registry: defaults.registry,
    ...(delimiter !== null ? { delimiter: delimiterOf(delimiter) } : {}),
    ...(wrap !== undefined && wrap !== null
      ? { wrapSingleValue: wrap === true || String(wrap).toLowerCase() === 'true' }
      : {}),
    ...(typeof valueSchemaId === 'number' ? { schemaId: valueSchemaId } : {}),
  };
  return { keyFormat: checkFormat(keyName), valueFormat: checkFormat(valueName), keyOptions, valueOptions };
}

export function checkFormats(
  formats: { keyFormat: FormatName; valueFormat: FormatName; valueOptions: FormatOptions },
  schema: LogicalSchema,
): void {
  for (const c of schema.key) {
    if (formatType(c.type).includes('MAP<')) {
      throw new AnalysisError(
        `Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: \`${c.name}\`. Column type: ${formatType(c.type)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`,
      );
    }
  }
  validateColumns(formats.keyFormat, schema.key, true);
  validateColumns(formats.valueFormat, schema.value, false);
  if (formats.valueOptions.wrapSingleValue === false && schema.value.length !== 1) {
    throw new AnalysisError(`'WRAP_SINGLE_VALUE' is only valid for single-field value schemas`);
  }
  if (formats.valueFormat === 'KAFKA' && formats.valueOptions.wrapSingleValue !== undefined) {
    throw new AnalysisError(
      `Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to '${formats.valueOptions.wrapSingleValue}'.`,
    );
  }
}

export function windowOf(props: Properties): WindowInfo | null {
  const type = stringProp(props, 'WINDOW_TYPE');
  if (type === null) return null;
  const t = type.toUpperCase();
  if (t !== 'TUMBLING' && t !== 'HOPPING' && t !== 'SESSION') throw new AnalysisError(`Invalid WINDOW_TYPE: ${type}`);
  const size = stringProp(props, 'WINDOW_SIZE');
  let sizeMs: number | null = null;
  if (size !== null && t === 'SESSION') throw new AnalysisError(`'WINDOW_SIZE' should not be set for SESSION windows.`);
  if (size !== null) {
    const m = /^\s*(\d+)\s+([A-Za-z]+)\s*$/.exec(size);
    const units: Record<string, number> = {
      MILLISECOND: 1,
      SECOND: 1000,
      MINUTE: 60_000,
      HOUR: 3_600_000,
      DAY: 86_400_000,
    };
    const unit = m ? units[(m[2] as string).toUpperCase().replace(/S$/, '')] : undefined;
    if (!m || unit === undefined) {
      const unitText = (m?.[2] ?? size).toUpperCase();
      throw new AnalysisError(
        `Configuration WINDOW_SIZE is invalid: Invalid duration: '${size}'. Unknown time unit: '${unitText}'`,
      );
    }
    sizeMs = Number(m[1]) * unit;
  } else if (t !== 'SESSION') {
    throw new AnalysisError(
      `${t} windows require 'WINDOW_SIZE' to be provided in the WITH clause. For example: 'WINDOW_SIZE'='10 SECONDS'`,
    );
  }
  return { type: t, sizeMs };
}

export function timestampOf(props: Properties, schema: LogicalSchema): DataSource['timestamp'] {
  const column = stringProp(props, 'TIMESTAMP');
  if (column === null) return null;
  const name = column.toUpperCase();
  const c = schema.value.find((x) => x.name === name) ?? schema.value.find((x) => x.name === column);
  if (c === undefined)
    throw new AnalysisError(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${name}'`);
  const format = stringProp(props, 'TIMESTAMP_FORMAT');
  if (format === null && !['BIGINT', 'TIMESTAMP'].includes(c.type.base)) {
    throw new AnalysisError(
      `Timestamp column, \`${c.name}\`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.`,
    );
  }
  return { column: c.name, format };
}

export function stringProp(props: Properties, name: string): string | null {
  const v: PropertyValue | undefined = props.get(name);
  return v === undefined || v === null ? null : String(v);
}

function delimiterOf(text: string): string {
  const named: Record<string, string> = { TAB: '\t', SPACE: ' ', COMMA: ',', SEMICOLON: ';', PIPE: '|' };
  return named[text.toUpperCase()] ?? text;
}
