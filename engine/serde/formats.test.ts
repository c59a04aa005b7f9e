import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Column } from '../types/schema.ts';
import { BIGINT, DOUBLE, decimal, INTEGER, STRING, struct } from '../types/sql-type.ts';
import { FormatError, keySerde, validateColumns, valueSerde } from './formats.ts';
import { columnsFromSchema } from './schema-inference.ts';
import { InMemorySchemaRegistry, referencedSchemas } from './schema-registry.ts';

const COLUMNS: Column[] = [
  { name: 'ID', type: BIGINT },
  { name: 'NAME', type: STRING },
  { name: 'SCORE', type: DOUBLE },
];

describe('formats', () => {
  it('KAFKA keys use Kafka primitive encodings', () => {
    const serde = keySerde('KAFKA', [{ name: 'K', type: INTEGER }]);
    const bytes = serde.serialize('t', [7]);
    assert.deepEqual(bytes, Buffer.from([0, 0, 0, 7]));
    assert.deepEqual(serde.deserialize('t', bytes), [7]);
  });

  it('JSON values match field names case-insensitively and coerce to the declared types', () => {
    const serde = valueSerde('JSON', COLUMNS);
    const row = serde.deserialize('t', Buffer.from('{"id": "12", "name": 5, "score": 1}'));
    assert.deepEqual(row, { ID: 12, NAME: '5', SCORE: 1 });
  });

  it('DELIMITED writes doubles as Java does and quotes fields that need it', () => {
    const serde = valueSerde('DELIMITED', COLUMNS);
    const text = serde.serialize('t', { ID: 1, NAME: 'a,b', SCORE: 2 })?.toString();
    assert.equal(text, '1,"a,b",2.0');
    assert.deepEqual(serde.deserialize('t', Buffer.from('1,,3.5')), { ID: 1, NAME: null, SCORE: 3.5 });
  });

  it('DELIMITED rejects a line with the wrong number of fields', () => {
    assert.throws(
      () => valueSerde('DELIMITED', COLUMNS).deserialize('t', Buffer.from('1,2')),
      /Unexpected field count/,
    );
  });

  it('AVRO round-trips through the registry in the Confluent framing', () => {
    const registry = new InMemorySchemaRegistry();
    const columns: Column[] = [
      ...COLUMNS,
      { name: 'PRICE', type: decimal(4, 2) },
      { name: 'S', type: struct([{ name: 'A', type: STRING }]) },
    ];
    const serde = valueSerde('AVRO', columns, { registry });
    const row = { ID: 1, NAME: 'x', SCORE: 0.5, PRICE: 12.34, S: { A: 'y' } };
    const bytes = serde.serialize('t', row) as Buffer;
    assert.equal(bytes[0], 0);
    assert.equal(registry.getById(bytes.readInt32BE(1)).schemaType, 'AVRO');
    assert.deepEqual(serde.deserialize('t', bytes), row);
  });

  it('AVRO with a schema id writes with that registered schema, its defaults filling missing fields', () => {
    const registry = new InMemorySchemaRegistry();
    const writer = {
      type: 'record',
      name: 'Test',
      fields: [
        { name: 'ID', type: 'string' },
        {
          name: 'S',
          type: {
            type: 'record',
            name: 'Data',
            fields: [
              { name: 'N', type: 'long', default: 10 },
              { name: 'E', type: 'string' },
            ],
          },
        },
      ],
    };
    registry.registerWithId('t-value', 'AVRO', JSON.stringify(writer), 102);
    const columns: Column[] = [
      { name: 'ID', type: STRING },
      {
        name: 'S',
        type: struct([
          { name: 'N', type: BIGINT },
          { name: 'E', type: STRING },
        ]),
      },
    ];
    const serde = valueSerde('AVRO', columns, { registry, schemaId: 102 });
    const bytes = serde.serialize('t', { ID: 'abc', S: { N: null, E: 'x@y' } }) as Buffer;
    assert.equal(bytes.readInt32BE(1), 102);
    assert.equal(registry.latest('t-value')?.id, 102, 'nothing new registered under the subject');
    assert.deepEqual(serde.deserialize('t', bytes), { ID: 'abc', S: { N: 10, E: 'x@y' } });
    assert.throws(() => serde.serialize('t', { ID: null, S: null }), /invalid/i);
  });

  it('PROTOBUF writes null scalars as their defaults', () => {
    const serde = valueSerde('PROTOBUF', COLUMNS);
    const bytes = serde.serialize('t', { ID: null, NAME: null, SCORE: null });
    assert.deepEqual(serde.deserialize('t', bytes), { ID: 0, NAME: '', SCORE: 0 });
  });

  it("rejects what a format cannot carry, in ksqlDB's words", () => {
    assert.throws(
      () => validateColumns('DELIMITED', [{ name: 'S', type: struct([]) }], false),
      (e: unknown) => e instanceof FormatError && /does not support type 'STRUCT', column: `S`/.test(e.message),
    );
    assert.throws(() => validateColumns('KAFKA', COLUMNS, true), /Key format does not support schema/);
  });
});

describe('schema inference', () => {
  const registered = (schemaType: 'AVRO' | 'JSON' | 'PROTOBUF', schema: string) => ({
    id: 1,
    subject: 's',
    version: 1,
    schemaType,
    schema,
  });

  it('reads columns from an Avro record', () => {
    const avro = JSON.stringify({
      type: 'record',
      name: 'V',
      fields: [
        { name: 'ID', type: 'long' },
        { name: 'TAGS', type: ['null', { type: 'array', items: 'string' }] },
      ],
    });
    assert.deepEqual(
      columnsFromSchema(registered('AVRO', avro), 'ROWVAL').map((c) => [c.name, c.type.base]),
      [
        ['ID', 'BIGINT'],
        ['TAGS', 'ARRAY'],
      ],
    );
  });

  it('names a primitive key schema ROWKEY', () => {
    const json = JSON.stringify({ oneOf: [{ type: 'null' }, { type: 'integer', 'connect.type': 'int32' }] });
    assert.deepEqual(columnsFromSchema(registered('JSON', json), 'ROWKEY'), [{ name: 'ROWKEY', type: INTEGER }]);
  });

  it('reads a .proto message, nested messages included', () => {
    const proto =
      'syntax = "proto3"; message Vote { string ID = 1; Inner I = 2; repeated int32 N = 3; message Inner { bool B = 1; } }';
    assert.deepEqual(
      columnsFromSchema(registered('PROTOBUF', proto), 'ROWVAL').map((c) => [c.name, c.type.base]),
      [
        ['ID', 'STRING'],
        ['I', 'STRUCT'],
        ['N', 'ARRAY'],
      ],
    );
  });

  it('reads a .proto message whose field types come from a referenced schema', () => {
    const registry = new InMemorySchemaRegistry();
    registry.register('event.proto', 'PROTOBUF', 'syntax = "proto3";\nmessage Event {\n int64 TIMESTAMP = 1;\n}');
    const main = 'syntax = "proto3";\nimport "event.proto";\nmessage Logistics {\n Event EVENT = 1;\n}';
    registry.registerWithId('input-value', 'PROTOBUF', main, 5, [
      { name: 'event.proto', subject: 'event.proto', version: 1 },
    ]);
    const schema = registry.getById(5);
    const imports = referencedSchemas(registry, schema);
    assert.deepEqual(columnsFromSchema(schema, 'ROWVAL', null, imports), [
      { name: 'EVENT', type: struct([{ name: 'TIMESTAMP', type: BIGINT }]) },
    ]);
    const dangling = { ...schema, references: [{ name: 'other.proto', subject: 'other.proto', version: 1 }] };
    assert.throws(() => referencedSchemas(registry, dangling), /Schema reference other\.proto not found/);
  });
});
