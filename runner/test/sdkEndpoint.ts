/**
 * serve's in-memory Step Functions service on a loopback port, and a real AWS SDK client
 * pointed at it: for tests that talk to it as the extension and the CLI talk to AWS.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { LOCAL_ENDPOINT_CREDENTIALS } from '../src/aws/client';
import { LocalEndpoint } from '../src/callback/server';
import { createService } from '../src/callback/service';

export interface SdkEndpoint {
  endpoint: LocalEndpoint;
  client: SFNClient;
  close(): Promise<void>;
}

export async function startSdkEndpoint(options: Parameters<typeof createService>[0]): Promise<SdkEndpoint> {
  // the service asks for the endpoint only once it runs a task, after the start below
  const service = createService(options, () => endpoint);
  const endpoint = await LocalEndpoint.start(service.ops, 0);
  const client = new SFNClient({
    endpoint: endpoint.hostUrl,
    region: 'us-east-1',
    credentials: { ...LOCAL_ENDPOINT_CREDENTIALS },
  });
  return {
    endpoint,
    client,
    async close() {
      client.destroy();
      await endpoint.close();
    },
  };
}
