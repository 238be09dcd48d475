// The example at the top of README.md, run by the test suite.
// Usage: npx tsx docs/examples/readme.ts
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pqdm } from '@mtl/threads';

const squares = await pqdm([1, 2, 3, 4], (x: number) => x * x, 2); // [1, 4, 9, 16]
console.log(squares);

const file = join(mkdtempSync(join(tmpdir(), 'mtl-readme-')), 'events.jsonl');
writeFileSync(file, ['{"user":"ada","ms":12}', '{"user":"bob","ms":7}', '{"user":"cy","ms":30}', ''].join('\n'));

const lines = createInterface({ input: createReadStream(file) }); // a stream of JSON lines
for await (const event of pqdm(lines, (line: string) => JSON.parse(line), { ordered: false })) console.log(event.user);
