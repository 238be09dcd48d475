import * as processes from '@mtl/processes';
import { conformance } from '../../core/test/conformance/index.js';

conformance({ name: 'processes', entryUrl: new URL('../dist/index.js', import.meta.url).href, ...processes });
