// The sample project in the workbench with two fake OpenAI-style servers
// beside it: what the server-failures and server-key tests both start from
// (a key or a variable must reach one server and never the other).
import { startFakeOpenAIServer, type FakeServer } from '../../helpers/fake-openai-server';
import { startHarness, type Harness } from '../harness';
import { GroundingPage } from './grounding.page';

export interface TwoServers {
  first: FakeServer;
  second: FakeServer;
  harness: Harness;
  g: GroundingPage;
  close(): Promise<void>;
}

export async function sampleWithTwoServers(): Promise<TwoServers> {
  const first = await startFakeOpenAIServer({});
  const second = await startFakeOpenAIServer({});
  const harness = await startHarness();
  const g = new GroundingPage(harness.page);
  await g.wb.openSample();
  return {
    first,
    second,
    harness,
    g,
    async close() {
      await harness.close();
      await first.close();
      await second.close();
    },
  };
}
