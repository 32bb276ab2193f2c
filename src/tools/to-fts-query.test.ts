import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toFtsQuery } from './to-fts-query.ts';

describe('toFtsQuery', () => {
  it('quotes each meaningful word and ORs them', () => {
    assert.equal(toFtsQuery('How do I resume a dropped stream?'), '"resume" OR "dropped" OR "stream"');
  });

  it('drops FTS5 operators, quotes and column filters', () => {
    assert.equal(toFtsQuery('NEAR("solar" wind) AND -title:x*'), '"near" OR "solar" OR "wind" OR "title"');
  });

  it('keeps non-ASCII letters and digits, and removes duplicates', () => {
    assert.equal(toFtsQuery('Énergie énergie 5G'), '"énergie" OR "5g"');
  });

  it('drops facet words and years while a topic word is left, so "AI trends 2024" searches for AI', () => {
    assert.equal(toFtsQuery('AI trends 2024 overview'), '"ai"');
    assert.equal(toFtsQuery('renewable energy trends'), '"renewable" OR "energy"');
    assert.equal(toFtsQuery('latest trends 2024'), '"latest" OR "trends" OR "2024"');
  });

  it('returns undefined when nothing searchable is left', () => {
    assert.equal(toFtsQuery('what is the'), undefined);
    assert.equal(toFtsQuery('?! * ()'), undefined);
  });

  it('caps the number of terms', () => {
    const words = Array.from({ length: 50 }, (_, index) => `word${index}`).join(' ');
    assert.equal(toFtsQuery(words)?.split(' OR ').length, 24);
  });
});
