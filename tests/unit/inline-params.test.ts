// Parameters written into SQL as typed literals (clickhouse/inline-params.ts): the literal must be the
// very value the engine's own substitution gives; tests/medium/inline-params.test.ts runs both on the engine.
import { describe, expect, it } from 'vitest';
import { inlineParams, stringLiteral } from '../../backend/src/clickhouse/inline-params';

describe('inlineParams', () => {
  it('writes numbers, strings and arrays as CAST literals of the declared type', () => {
    expect(inlineParams("SELECT {n:UInt64}, {d:DateTime('Asia/Shanghai')}, {a:Array(String)}, {c:Array(UInt32)}, {n:UInt64}", {
      n: 42, d: '2022-12-31 23:59:59', a: ['联系', "it's"], c: [3, 1],
    })).toBe("SELECT CAST(42 AS UInt64), CAST('2022-12-31 23:59:59' AS DateTime('Asia/Shanghai')), CAST(['联系', 'it\\'s'] AS Array(String)), CAST([3, 1] AS Array(UInt32)), CAST(42 AS UInt64)");
    expect(inlineParams('SELECT {e:Array(String)}', { e: [] })).toBe('SELECT CAST([] AS Array(String))');
  });

  it('escapes backslashes before quotes, so no value can end its literal early', () => {
    expect(stringLiteral("a\\' OR 1=1 --")).toBe("'a\\\\\\' OR 1=1 --'");
    expect(stringLiteral('\\')).toBe("'\\\\'");
  });

  it('refuses what it cannot write faithfully: a missing value, an identifier, a nullable, an object', () => {
    expect(() => inlineParams('SELECT {x:UInt8}', {})).toThrow(/x is not given/);
    expect(() => inlineParams('SELECT * FROM {t:Identifier}', { t: 'alerts' })).toThrow(/Identifier/);
    expect(() => inlineParams('SELECT {x:Nullable(String)}', { x: 'a' })).toThrow(/Nullable/);
    expect(() => inlineParams('SELECT {x:String}', { x: { a: 1 } })).toThrow(/object/);
    expect(() => inlineParams('SELECT {x:Float64}', { x: Number.NaN })).toThrow(/finite/);
  });
});
