import * as threads from '@mtl/threads';
import { conformance } from '../../core/test/conformance/index.js';

conformance({ name: 'threads', entryUrl: new URL('../dist/index.js', import.meta.url).href, ...threads });
