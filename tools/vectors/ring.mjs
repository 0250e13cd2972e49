// The ring/ vector suites (bLSAG ring signatures); filled in by the ring implementation.
export const ringSuites = {};
