// The hashing worker of smt_wasm.js (threads build). One per process (per JS thread that uses
// threaded cores). It sleeps on the control block; for each job table offered by a core it takes
// chunks from the table's shared counter (hashShared of smt_wasm_hash_mt.wasm, instantiated once
// per core memory) until none is left. Plain synchronous loop: its event loop never runs, so
// memories arrive and leave through receiveMessageOnPort.
import { workerData, receiveMessageOnPort } from 'node:worker_threads';

const { ctl: ctlBuffer, module, port } = workerData;
const ctl = new Int32Array(ctlBuffer);
// control block layout: keep in sync with smt_wasm.js
const BELL = 0, STATE = 1, MEM = 2, TABLE = 3, N = 4, CTR = 5, STATUS = 6, STOP = 7, READY = 8, MODE = 9;
const PENDING = 1, RUNNING = 2, DONE = 3;
const SPIN_MS = 0.5;
// testing knob: report an error after doing its share of the first root() level table
let failLevel = process.env.SMT_WASM_TEST_WORKER_FAIL === 'level';

const cores = new Map();
function drain() {
  for (let m; (m = receiveMessageOnPort(port)) !== undefined; ) {
    const msg = m.message;
    if (msg.drop !== undefined) cores.delete(msg.drop);
    else cores.set(msg.add, new WebAssembly.Instance(module, { env: { memory: msg.memory } }).exports);
  }
}

Atomics.store(ctl, READY, 1);
let bell = Atomics.load(ctl, BELL);
for (;;) {
  Atomics.wait(ctl, BELL, bell, 1000);
  bell = Atomics.load(ctl, BELL);
  if (Atomics.load(ctl, STOP) !== 0) break;
  let status = 0;
  try {
    drain();
  } catch {
    status = 3;
  }
  if (Atomics.compareExchange(ctl, STATE, PENDING, RUNNING) !== PENDING) continue;
  if (status === 0) {
    try {
      const ex = cores.get(Atomics.load(ctl, MEM));
      if (ex === undefined) status = 2;
      else {
        const mode = Atomics.load(ctl, MODE);
        if (mode < 0) ex.hashShared(Atomics.load(ctl, TABLE), Atomics.load(ctl, N), Atomics.load(ctl, CTR));
        else {
          ex.hashLevelShared(Atomics.load(ctl, TABLE), Atomics.load(ctl, N), Atomics.load(ctl, CTR), mode);
          if (failLevel) {
            failLevel = false;
            status = 5;
          }
        }
      }
    } catch {
      status = 4;
    }
  }
  Atomics.store(ctl, STATUS, status);
  Atomics.store(ctl, STATE, DONE);
  Atomics.notify(ctl, STATE);
  // root() offers one table per depth in quick succession: look for the next one for a short
  // while before sleeping (a futex wake-up costs tens of microseconds)
  const until = performance.now() + SPIN_MS;
  while (Atomics.load(ctl, STATE) !== PENDING && performance.now() < until);
}
port.close();
