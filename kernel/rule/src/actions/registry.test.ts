import { describe, expect, it } from 'vitest';
import { describeRuleActions } from './registry.ts';

// The rule editor draws each action's settings from this JSON Schema: the widget hints must survive the conversion.

type Schema = { properties?: Record<string, Schema>; anyOf?: Schema[]; 'x-widget'?: string; 'x-expect'?: string };

describe('describeRuleActions', () => {
  const byKind = new Map(describeRuleActions().map((info) => [info.kind, info]));
  const prop = (kind: string, ...path: string[]): Schema => {
    let schema = byKind.get(kind)?.settings as Schema;
    for (const name of path) schema = schema.properties?.[name] as Schema;
    return schema;
  };

  it('should describe every registered kind with its settings and whether compensation undoes it', () => {
    expect([...byKind.keys()].sort()).toEqual(
      ['adjust', 'callConnector', 'grant', 'guard', 'notify', 'startFlow', 'writeBack'].sort(),
    );
    expect(byKind.get('writeBack')?.undoable).toBe(true);
    expect(byKind.get('notify')?.undoable).toBe(false);
    expect(byKind.get('writeBack')?.output).toEqual({ values: { id: 'text' }, fieldsOf: 'form' });
    expect(byKind.get('notify')?.output).toBeNull();
  });

  it('should mark forms, flows, mappings, matches and typed expressions for the editor', () => {
    expect(prop('writeBack', 'form')['x-widget']).toBe('form');
    expect(prop('writeBack', 'set')['x-widget']).toBe('set');
    expect(prop('writeBack', 'match')['x-widget']).toBe('match');
    expect(prop('startFlow', 'flow')['x-widget']).toBe('flow');
    expect(prop('adjust', 'field')['x-widget']).toBe('targetField');
    expect(prop('guard', 'lookup', 'match')['x-widget']).toBe('match');
    expect(prop('guard', 'refuseWhen')).toMatchObject({ 'x-widget': 'expression', 'x-expect': 'boolean' });
    expect(prop('grant', 'member')['x-expect']).toBe('member');
    expect(prop('notify', 'title')['x-widget']).toBe('label');
    expect(prop('callConnector', 'body')['x-widget']).toBe('params');
    expect(prop('adjust', 'floor').anyOf?.[0]?.['x-widget']).toBe('expression');
    const rows = prop('writeBack', 'subtables') as Schema & { additionalProperties?: Schema };
    expect(rows['x-widget']).toBe('rows');
    expect(rows.additionalProperties?.properties?.from?.['x-widget']).toBe('sourceSubtable');
    expect(rows.additionalProperties?.properties?.set?.['x-widget']).toBe('columns');
    expect(rows.additionalProperties?.properties?.when).toMatchObject({
      'x-widget': 'expression',
      'x-expect': 'boolean',
    });
  });
});
