/**
 * Environment for tests that run the real AWS SDK against the local fake Textract: fake static
 * credentials and a region, and nothing that could reach AWS or the network (no profile files,
 * no instance-metadata lookups).
 */
import path from 'node:path';
import os from 'node:os';

const NOWHERE = path.join(os.tmpdir(), 'ine-ocr-no-aws-config');

/** Variables that would let the SDK find other credentials or endpoints: removed from every test environment. */
const AWS_VARS = /^AWS_(?!CA_BUNDLE$)/;

export function awsEnv(extra: Record<string, string | undefined> = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!AWS_VARS.test(k)) env[k] = v;
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(NOWHERE, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(NOWHERE, 'credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Replaces this process's environment with awsEnv(extra); returns a function that restores it. */
export function useAwsEnv(extra: Record<string, string | undefined> = {}): () => void {
  const saved = { ...process.env };
  const next = awsEnv(extra, saved);
  for (const k of Object.keys(process.env)) if (!(k in next)) delete process.env[k];
  Object.assign(process.env, next);
  return () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  };
}
