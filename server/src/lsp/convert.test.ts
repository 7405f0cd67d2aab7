// Offset ↔ position conversion: edits with ranges past the end, CR / CRLF line ends and lone surrogates keep valid positions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { placeEdit, positionEdit, sqlText } from '../testing/edits';
import { Converter, updateDocument } from './convert';

/** Every offset's position, as the document computes it. */
function positions(doc: TextDocument): string {
  return JSON.stringify(Array.from({ length: doc.getText().length + 1 }, (_, o) => doc.positionAt(o)));
}

/** The document a client would have: the edit applied to the text, line starts computed afresh. */
function reference(doc: TextDocument, range: Parameters<typeof TextDocument.applyEdits>[1][0]['range'], newText: string, version: number): TextDocument {
  return TextDocument.create(doc.uri, doc.languageId, version, TextDocument.applyEdits(doc, [{ range, newText }]));
}

describe('updateDocument', () => {
  test('a range on a line past the end after a CR leaves valid positions (was character: null)', () => {
    let doc = TextDocument.create('file:///a.sql', 'sql', 1, '');
    const edits = [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\r' },
      { range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } }, text: 'select 1\n' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'select 1' },
    ];
    let version = 1;
    for (const e of edits) doc = updateDocument(doc, [e], ++version);
    assert.equal(doc.getText(), 'select 1\rselect 1\n');
    assert.deepEqual(doc.positionAt(16), { line: 1, character: 7 });
    assert.equal(positions(doc), positions(TextDocument.create(doc.uri, 'sql', 1, doc.getText())));
  });

  test('random edits (ranges past the end, reversed, over lines; CR, CRLF, lone surrogates) keep the positions of a fresh document', () => {
    fc.assert(
      fc.property(sqlText(), fc.array(positionEdit(), { minLength: 1, maxLength: 8 }), (base, edits) => {
        let doc = TextDocument.create('file:///a.sql', 'sql', 1, base);
        let expected = doc;
        let version = 1;
        for (const g of edits) {
          const e = placeEdit(g, doc.lineCount);
          version++;
          expected = reference(expected, e.range, e.text, version);
          doc = updateDocument(doc, [e], version);
          assert.equal(doc.getText(), expected.getText());
          assert.equal(positions(doc), positions(expected));
        }
      }),
      { seed: 4, numRuns: 400 },
    );
  });
});

describe('Converter', () => {
  test('offsets past the end or not numbers still give integer positions', () => {
    const convert = new Converter(TextDocument.create('file:///a.sql', 'sql', 1, 'select 1;\r\nselect 2;'));
    assert.deepEqual(convert.range(5, 1000), { start: { line: 0, character: 5 }, end: { line: 1, character: 9 } });
    assert.deepEqual(convert.position(Number.NaN), { line: 0, character: 0 });
  });
});
