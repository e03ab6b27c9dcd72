// parse.mjs reads PowerShell scripts and prints, per script, what the
// syncready tests check (one JSON array on stdout):
//   file      the path as given
//   bom       whether the file starts with a UTF-8 byte-order mark
//   errors    the syntax tree's ERROR and MISSING nodes
//   commands  the name of every command the script runs
//   strings   the type of every string node (the tests allow only verbatim,
//             single-quoted ones)
//   tokens    the script's structure: every leaf as type and text, except
//             that a string literal or comment is only its type, so two
//             scripts that differ only in the text of their literals and
//             comments have the same tokens
// Usage: node parse.mjs FILE...
import { readFileSync } from 'node:fs';

process.noDeprecation = true; // the grammar's package.json main has no extension
const { default: Parser } = await import('tree-sitter');
const { default: PowerShell } = await import('tree-sitter-powershell');

const parser = new Parser();
parser.setLanguage(PowerShell);

function parse(file) {
  const bytes = readFileSync(file);
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = bytes.subarray(bom ? 3 : 0).toString('utf8');
  // A callback rather than the string: the binding refuses long strings
  // without an explicit buffer size.
  const tree = parser.parse((i) => text.slice(i, i + 65536));
  const out = { file, bom, errors: [], commands: [], strings: [], tokens: [] };
  const walk = (node) => {
    if (node.type === 'ERROR' || node.isMissing) {
      out.errors.push({
        type: node.isMissing ? 'MISSING ' + node.type : 'ERROR',
        row: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        text: node.text.slice(0, 200),
      });
    }
    if (node.type === 'command') {
      const name = node.childForFieldName('command_name');
      out.commands.push(name ? name.text : '');
    }
    if (node.type === 'string_literal' || node.type === 'comment') {
      const kinds = node.namedChildren.map((c) => c.type);
      if (node.type === 'string_literal') out.strings.push(kinds.join(' ') || '(empty)');
      out.tokens.push(node.type + ':' + kinds.join(' '));
      return;
    }
    if (node.childCount === 0) {
      out.tokens.push(node.type + ':' + node.text);
      return;
    }
    for (const c of node.children) walk(c);
  };
  walk(tree.rootNode);
  return out;
}

process.stdout.write(JSON.stringify(process.argv.slice(2).map(parse)) + '\n');
