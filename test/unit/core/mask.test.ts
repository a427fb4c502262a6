import { describe, expect, it } from 'vitest';
import { isSecretName, isSecretVariable, MASK, masked } from '../../../src/core/mask.js';

// the variable-name rule in playbook/executor.ts secretsOf: isSecretVariable covers every name it masks
const ENGINE_RULE = (k: string): boolean => /pass(word|wd|phrase)?|secret|token|_key$/i.test(k) && !/file$/i.test(k);

const NAMES = [
  'ansible_password', 'ansible_become_pass', 'ansible_ssh_pass', 'redis_password', 'redis_pass', 'passphrase', 'key_passphrase',
  'requirepass', 'masterauth', 'api_token', 'vault_secret', 'client_secret_id', 'ssh_private_key', 'privatekey', 'api_key', 'apikey',
  'aws_credentials', 'signing_key', 'bypass_list', 'ansible_ssh_private_key_file', 'password_file', 'token_file', 'secret_file',
  'ansible_host', 'ansible_user', 'key', 'keyfile', 'ssh_allowed_keys', 'harden_block_addresses', 'bind', 'user', 'port',
];

describe('isSecretVariable', () => {
  it('masks every name the engine masked and every secret name, except a …file name', () => {
    for (const k of NAMES) expect([k, isSecretVariable(k)]).toEqual([k, (ENGINE_RULE(k) || isSecretName(k)) && !/file$/i.test(k)]);
  });

  it('says yes to secrets and no to paths and plain settings', () => {
    expect(NAMES.filter(isSecretVariable)).toEqual([
      'ansible_password', 'ansible_become_pass', 'ansible_ssh_pass', 'redis_password', 'redis_pass', 'passphrase', 'key_passphrase',
      'requirepass', 'masterauth', 'api_token', 'vault_secret', 'client_secret_id', 'ssh_private_key', 'privatekey', 'api_key', 'apikey',
      'aws_credentials', 'signing_key', 'bypass_list',
    ]);
  });

  it('leaves the report scrub rule (isSecretName) as it was: …file names of keys stay secret there', () => {
    expect(isSecretName('private_key_file')).toBe(true);
    expect(isSecretVariable('private_key_file')).toBe(false);
    expect(isSecretName('passed')).toBe(false);
  });
});

describe('masked', () => {
  it('replaces the longest secret first', () => {
    expect(masked('pw=hunter2 and hunter', ['hunter', 'hunter2'])).toBe(`pw=${MASK} and ${MASK}`);
  });
});
