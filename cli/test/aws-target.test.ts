/** Which region, profile and endpoint `deploy` and `run --aws` use: options, then environment, then the shared config; no AWS account involved. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSharedConfig } from '../../runner/src/aws/client';
import { ENDPOINT_DEFAULT_REGION, resolveAwsTarget } from '../../runner/src/aws/target';

const CONFIG = parseSharedConfig(`
[default]
region = eu-west-1

[profile dev]
region = ap-southeast-2 ; a comment
endpoint_url = http://127.0.0.1:9999
s3 =
  addressing_style = path
`);

describe('AWS target resolution', () => {
  it('reads the default and named profiles of the shared config file', () => {
    assert.deepEqual(CONFIG.default, { region: 'eu-west-1' });
    assert.deepEqual(CONFIG.dev, { region: 'ap-southeast-2', endpoint_url: 'http://127.0.0.1:9999', s3: '' });
  });

  it('takes the options first', () => {
    const r = resolveAwsTarget(
      { profile: 'dev', region: 'us-west-2', endpointUrl: 'http://localhost:1' },
      { AWS_PROFILE: 'other', AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL: 'http://localhost:2' },
      CONFIG,
    );
    assert.deepEqual(r, {
      ok: true,
      value: { profile: 'dev', region: 'us-west-2', endpointUrl: 'http://localhost:1', regionSource: 'option' },
    });
  });

  it('then the environment: AWS_REGION before AWS_DEFAULT_REGION, the Step Functions endpoint before the general one', () => {
    const r = resolveAwsTarget(
      {},
      {
        AWS_PROFILE: 'dev',
        AWS_REGION: 'eu-central-1',
        AWS_DEFAULT_REGION: 'sa-east-1',
        AWS_ENDPOINT_URL_SFN: 'http://localhost:3',
        AWS_ENDPOINT_URL: 'http://localhost:4',
      },
      CONFIG,
    );
    assert.deepEqual(r, {
      ok: true,
      value: { profile: 'dev', region: 'eu-central-1', endpointUrl: 'http://localhost:3', regionSource: 'environment' },
    });
    const fallback = resolveAwsTarget({}, { AWS_DEFAULT_REGION: 'sa-east-1' }, CONFIG);
    assert.equal(fallback.ok && fallback.value.region, 'sa-east-1');
  });

  it("then the profile's section of the shared config", () => {
    assert.deepEqual(resolveAwsTarget({ profile: 'dev' }, {}, CONFIG), {
      ok: true,
      value: {
        profile: 'dev',
        region: 'ap-southeast-2',
        endpointUrl: 'http://127.0.0.1:9999',
        regionSource: 'shared config',
      },
    });
    assert.deepEqual(resolveAwsTarget({}, {}, CONFIG), {
      ok: true,
      value: { profile: undefined, region: 'eu-west-1', endpointUrl: undefined, regionSource: 'shared config' },
    });
  });

  it('signs requests to an overridden endpoint with a default region when nothing names one', () => {
    const r = resolveAwsTarget({ endpointUrl: 'http://127.0.0.1:8083' }, {}, {});
    assert.equal(r.ok && r.value.region, ENDPOINT_DEFAULT_REGION);
    assert.equal(r.ok && r.value.regionSource, 'endpoint default');
  });

  it('says what to set when there is no region, and refuses an endpoint that is not a URL', () => {
    assert.deepEqual(resolveAwsTarget({ profile: 'nowhere' }, {}, CONFIG), {
      ok: false,
      error:
        "no AWS region: give --region, set AWS_REGION, or set region in the 'nowhere' profile of the shared config file",
    });
    assert.deepEqual(resolveAwsTarget({ endpointUrl: 'localhost:8083', region: 'us-east-1' }, {}, {}), {
      ok: false,
      error: "the endpoint URL must be an http(s) URL, not 'localhost:8083'",
    });
  });
});
