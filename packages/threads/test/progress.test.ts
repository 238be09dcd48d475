import * as threads from '@mtl/threads';
import { progressSuite } from '../../core/test/progress/index.js';

progressSuite({ name: 'threads', entryUrl: new URL('../dist/index.js', import.meta.url).href, ...threads });
