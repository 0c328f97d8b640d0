// Public surface of the security primitives: master key, envelope encryption, API keys, passwords, signing keys.
export {
  MasterKey,
  loadMasterKey,
  parseMasterKey,
  verifyMasterKey,
  generateMasterKeyText,
  MASTER_KEY_FILE,
  MASTER_KEY_CHECK_META,
  type KeyPurpose,
  type LoadMasterKeyOptions,
} from './master-key.js';
export { SecretBox, aad, accountAad, signingKeyAad } from './envelope.js';
export { ApiKeyHasher, generateApiKey, parseApiKeyId, type GeneratedApiKey } from './api-keys.js';
export {
  hashPassword,
  verifyPassword,
  isPasswordHash,
  DEFAULT_SCRYPT_COST,
  type ScryptCost,
} from './passwords.js';
export { PasswordVerifier, type PasswordVerifierOptions } from './password-verifier.js';
export {
  generateSigningKey,
  sealSigningKey,
  createSealedSigningKey,
  openPrivateJwk,
  openSigningKey,
  openVerificationKey,
  isSigningAlgorithm,
  SIGNING_ALGORITHMS,
  DEFAULT_SIGNING_ALGORITHM,
  type GeneratedSigningKey,
} from './signing-keys.js';
