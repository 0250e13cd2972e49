/**
 * A configuration value the relay miner cannot start with. `key` is the path of the offending entry
 * as written in the YAML (`suppliers[1].service_config.backend_url`), so an operator can find it.
 * Reasons describe what is wrong with a value, never the value itself when it may be secret
 * (passwords, headers, URLs with credentials, private keys).
 */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(key ? `${key}: ${reason}` : reason);
    this.name = 'ConfigError';
  }
}
