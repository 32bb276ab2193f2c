import { nativeRunsSuite } from './support/native-runs-suite.ts';
import { startTestServer } from './support/test-server.ts';

nativeRunsSuite('native run API', () => startTestServer());
