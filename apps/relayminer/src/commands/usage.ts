/** The help texts: one per command, printed by --help and after a usage error. */

export const MAIN_USAGE = `usage: relayminer <command> [options]

commands:
  start             run the relay miner (relay servers, mining, claims and proofs)
  config validate   load and check a config file, print what it resolves to
  keys list         list the key names of a keys file and their operator addresses
  keys import       add a private key (hex or mnemonic, read from stdin) to a keys file
  relay             send relays to a relay miner (a gateway's view)
  demo              run the demo

Run "relayminer <command> --help" for the options of a command.`;

const OPERATOR_FLAGS = `  --chain-id ID            chain id (must match the node; or pocket_node.chain_id in the config)
  --node URL               CometBFT RPC URL for queries and txs (overrides both pocket_node RPC URLs)
  --gas-prices COIN        gas price, e.g. 0.000001upokt (default 1upokt)
  --gas-adjustment N       multiplier on simulated gas (default 1.5)
  --fees COIN              fixed fee per tx, e.g. 2000upokt, instead of gas × price
  --keys-file FILE         keys file (overrides keys_file in the config)`;

export const START_USAGE = `usage: relayminer start --config FILE [options]

Runs the relay miner until SIGINT or SIGTERM, then stops gracefully (a second signal exits at once).

  --config FILE            relay miner YAML (required)
${OPERATOR_FLAGS}
  --log-level LEVEL        debug, info, warn or error (default info)
  --log-format FORMAT      json or text (default json); logs go to stderr
  -h, --help               this help`;

export const CONFIG_USAGE = `usage: relayminer config validate --config FILE [options]

Loads the config and keys file as "start" would, without connecting to a node, and prints what they
resolve to (services, listen addresses, operator addresses, store path). Exit code 1 on any error.

  --config FILE            relay miner YAML (required)
${OPERATOR_FLAGS}
  -h, --help               this help`;

export const KEYS_USAGE = `usage: relayminer keys list --keys-file FILE
       relayminer keys import --keys-file FILE --name NAME (--hex | --mnemonic) [--from-file FILE] [--force]

Run "relayminer keys list --help" or "relayminer keys import --help" for details.`;

export const KEYS_LIST_USAGE = `usage: relayminer keys list --keys-file FILE

Prints every key name of the keys file with its operator address (pokt…). Keys are never printed.
Exit code 1 when an entry is not a valid key.

  --keys-file FILE         keys file (YAML or JSON: name -> hex private key)
  --config FILE            or: the relay miner YAML whose keys_file to use
  -h, --help               this help`;

export const KEYS_IMPORT_USAGE = `usage: relayminer keys import --keys-file FILE --name NAME (--hex | --mnemonic) [--from-file FILE] [--force]

Reads the secret from stdin (or --from-file), never from the command line, and stores the private key
as hex under NAME. The file is created with mode 0600 when missing. Prints the operator address.

  --keys-file FILE         keys file to add to
  --name NAME              key name (the name default_signing_key_names / signing_key_names refer to)
  --hex                    the secret is a 32-byte hex private key (0x optional)
  --mnemonic               the secret is a BIP-39 mnemonic; the key is derived at m/44'/118'/0'/0/0
  --from-file FILE         read the secret from FILE instead of stdin
  --force                  replace an existing key of that name
  -h, --help               this help`;
