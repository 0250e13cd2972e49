export { StaticKeyRing, loadKeyRing, keyRingFromText } from './key-ring.js';
