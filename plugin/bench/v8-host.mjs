// The filter's own code cost in V8, without Envoy: each `.wasm` given is loaded into Node's V8
// with a stand-in proxy-wasm host (the ABI 0.2.1 calls the filter imports, answered from
// JavaScript) and driven through SSE chunks, JSON requests and plain GETs; per SSE chunk, per JSON request and
// per GET it prints the median CPU time over alternating rounds. Host calls cost far less here
// than in Envoy (no wasm-c-api transitions), so the numbers are the module's own work; the
// difference to `probe-floor.wasm` (plugin/src/probe.rs, the same host calls, no computation)
// is what the filter's parsing and bookkeeping cost. Envoy's figures are `cargo xtask
// bench-plugin`'s; this one is steadier (a few per cent between runs instead of ±0.5 µs).
//
// Usage: node plugin/bench/v8-host.mjs a.wasm [b.wasm ...]   (run by `cargo xtask bench-plugin`)
// With BENCH_CALLS=1 it times nothing and prints, per `.wasm`, the host calls (the ABI imports
// it calls, and Envoy's calls back into the VM to allocate returned bytes) of one plain GET, one
// JSON request and one mid-stream SSE chunk: each is a V8 boundary crossing in Envoy.

import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { basename } from 'node:path';

const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);
const COUNT_CALLS = process.env.BENCH_CALLS === '1';
/** This process's CPU time (user + system) in ns: unlike the wall clock, it does not count
 * the time the scheduler gives other processes, so a loaded machine inflates it far less. */
const cpuNs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};
const CHUNKS = 200_000;
const REQUESTS = 50_000;
const enc = new TextEncoder();
const MODEL = 'llama-3-8b';
const CONFIG = enc.encode(`{"target":{"concurrency_per_pod":8},"models":["${MODEL}"]}`);
// The same bodies as the Envoy benchmark's upstream (tests/src/envoy.rs `sse_content`): the
// chunks of a stream differ in their text (`tok0 `, `tok1 `, ...), as generated tokens do.
const sseChunk = (i) => enc.encode(`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"${MODEL}","choices":[{"index":0,"delta":{"content":"tok${i} "},"finish_reason":null}]}\n\n`);
const SSE_CHUNKS = Array.from({ length: 1000 }, (_, i) => sseChunk(i));
const SSE_CHUNK = SSE_CHUNKS[17];
const REQ_STREAM = enc.encode(`{"model":"${MODEL}","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}`);
const REQ_JSON = enc.encode(`{"model":"${MODEL}","messages":[{"role":"user","content":"hi"}]}`);
const RESP_JSON = enc.encode(`{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"${MODEL}","choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}`);

/** A serialized header map (proxy-wasm ABI: count, sizes, then NUL-terminated keys/values). */
function headerMap(pairs) {
  let n = 4 + pairs.length * 8;
  for (const [k, v] of pairs) n += k.length + v.length + 2;
  const out = new Uint8Array(n);
  const d = new DataView(out.buffer);
  d.setUint32(0, pairs.length, true);
  let o = 4;
  for (const [k, v] of pairs) {
    d.setUint32(o, k.length, true);
    d.setUint32(o + 4, v.length, true);
    o += 8;
  }
  for (const [k, v] of pairs) {
    out.set(enc.encode(k), o);
    o += k.length + 1;
    out.set(enc.encode(v), o);
    o += v.length + 1;
  }
  return out;
}
const SSE_HEADERS = headerMap([[':status', '200'], ['content-type', 'text/event-stream']]);
const JSON_HEADERS = headerMap([[':status', '200'], ['content-type', 'application/json']]);
const PATH = enc.encode('/v1/chat/completions');
const CLUSTER = enc.encode('vllm');

/** One filter instance with its stand-in host; `run*` drive it. */
function load(file) {
  let exports;
  let view;
  let bytes;
  const state = { requestBody: REQ_JSON, responseBody: RESP_JSON, responseHeaders: JSON_HEADERS };
  const refresh = () => {
    if (!bytes || bytes.buffer !== exports.memory.buffer) {
      bytes = new Uint8Array(exports.memory.buffer);
      view = new DataView(exports.memory.buffer);
    }
  };
  // Hand bytes back the ABI's way: allocate in the module, copy, write pointer and size.
  const give = (data, ptrOut, sizeOut) => {
    if (COUNT_CALLS) calls.set('(allocate in the VM)', (calls.get('(allocate in the VM)') || 0) + 1);
    const p = exports.proxy_on_memory_allocate(data.length);
    refresh();
    bytes.set(data, p);
    view.setUint32(ptrOut, p, true);
    view.setUint32(sizeOut, data.length, true);
    return 0;
  };
  const shared = new Map(); // key -> [value bytes, cas]
  const text = (p, l) => {
    refresh();
    return Buffer.from(bytes.slice(p, p + l)).toString('latin1');
  };
  /** Host calls by name, when counting (BENCH_CALLS). */
  const calls = new Map();
  let clock = 1_700_000_000_000_000_000n;
  let metricId = 0;
  const env = {
    proxy_log: () => 0,
    proxy_get_current_time_nanoseconds: (out) => {
      clock += 1_000_000n;
      refresh();
      view.setBigUint64(out, clock, true);
      return 0;
    },
    proxy_set_tick_period_milliseconds: () => 0,
    proxy_get_buffer_bytes: (which, start, max, ptrOut, sizeOut) => {
      const all = which === 0 ? state.requestBody : which === 1 ? state.responseBody : CONFIG;
      return give(all.subarray(start, start + max), ptrOut, sizeOut);
    },
    proxy_get_header_map_value: (_map, _k, _kl, ptrOut, sizeOut) => give(PATH, ptrOut, sizeOut),
    proxy_get_header_map_pairs: (_map, ptrOut, sizeOut) => give(state.responseHeaders, ptrOut, sizeOut),
    proxy_add_header_map_value: () => 0,
    proxy_get_property: (_p, _l, ptrOut, sizeOut) => give(CLUSTER, ptrOut, sizeOut),
    proxy_get_shared_data: (k, kl, ptrOut, sizeOut, casOut) => {
      const entry = shared.get(text(k, kl));
      if (!entry) return 1; // NotFound
      give(entry[0], ptrOut, sizeOut);
      view.setUint32(casOut, entry[1], true);
      return 0;
    },
    proxy_set_shared_data: (k, kl, v, vl, cas) => {
      const key = text(k, kl);
      const entry = shared.get(key);
      if (cas !== 0 && entry && entry[1] !== cas) return 4; // CasMismatch
      refresh();
      shared.set(key, [bytes.slice(v, v + vl), (entry ? entry[1] : 0) + 1]);
      return 0;
    },
    proxy_define_metric: (_t, _p, _l, idOut) => {
      refresh();
      view.setUint32(idOut, ++metricId, true);
      return 0;
    },
    proxy_get_metric: (_id, out) => {
      refresh();
      view.setBigUint64(out, 0n, true);
      return 0;
    },
    proxy_record_metric: () => 0,
    proxy_increment_metric: () => 0,
  };
  if (COUNT_CALLS) {
    for (const [name, f] of Object.entries(env)) {
      env[name] = (...args) => {
        calls.set(name, (calls.get(name) || 0) + 1);
        return f(...args);
      };
    }
  }
  const wasi = new WASI({ version: 'preview1', args: [], env: {} });
  const module = new WebAssembly.Module(readFileSync(file));
  // Any other `env` import (an SDK-built filter imports the whole ABI) answers "not found".
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module === 'env' && imp.kind === 'function' && !(imp.name in env)) env[imp.name] = () => 1;
  }
  const instance = new WebAssembly.Instance(module, { env, ...wasi.getImportObject() });
  exports = instance.exports;
  wasi.initialize(instance);
  const x = exports;
  x.proxy_on_context_create(1, 0);
  x.proxy_on_vm_start(1, 0);
  if (!x.proxy_on_configure(1, CONFIG.length)) throw new Error(`${file}: configuration refused`);
  let next = 2;
  const start = (streamed) => {
    const id = next++;
    state.requestBody = streamed ? REQ_STREAM : REQ_JSON;
    state.responseHeaders = streamed ? SSE_HEADERS : JSON_HEADERS;
    x.proxy_on_context_create(id, 1);
    x.proxy_on_request_headers(id, 5, false);
    x.proxy_on_request_body(id, state.requestBody.length, true);
    x.proxy_on_response_headers(id, 2, false);
    return id;
  };
  const end = (id) => {
    x.proxy_on_log(id);
    x.proxy_on_done(id);
    x.proxy_on_delete(id);
  };
  /** One plain GET: no request body; the JSON response is not inspected. */
  const getRequest = () => {
    const id = next++;
    state.responseHeaders = JSON_HEADERS;
    x.proxy_on_context_create(id, 1);
    x.proxy_on_request_headers(id, 5, true);
    x.proxy_on_response_headers(id, 2, false);
    state.responseBody = RESP_JSON;
    x.proxy_on_response_body(id, RESP_JSON.length, true);
    end(id);
  };
  /** One JSON request: headers, both bodies, end. */
  const jsonRequest = () => {
    const id = start(false);
    state.responseBody = RESP_JSON;
    x.proxy_on_response_body(id, RESP_JSON.length, true);
    end(id);
  };
  /** The host calls `f` makes, as `name ×n` sorted by name. */
  const counted = (f) => {
    calls.clear();
    f();
    return [...calls].sort().map(([k, n]) => `${k} ×${n}`).join(', ') || 'none';
  };
  return {
    name: basename(file, '.wasm'),
    /** Host calls of one plain GET (no request body, JSON response not inspected), one JSON
     * request, one mid-stream SSE chunk (the VM warmed up: metric ids already defined). */
    calls() {
      getRequest();
      jsonRequest();
      const id = start(true);
      state.responseBody = SSE_CHUNK;
      x.proxy_on_response_body(id, SSE_CHUNK.length, false);
      const out = {
        GET: counted(getRequest),
        JSON: counted(jsonRequest),
        'SSE chunk': counted(() => x.proxy_on_response_body(id, SSE_CHUNK.length, false)),
      };
      state.responseBody = new Uint8Array();
      x.proxy_on_response_body(id, 0, true);
      end(id);
      return out;
    },
    /** ns per mid-stream SSE chunk. */
    sse() {
      const id = start(true);
      const t = cpuNs();
      for (let i = 0; i < CHUNKS; i++) {
        state.responseBody = SSE_CHUNKS[i % SSE_CHUNKS.length];
        x.proxy_on_response_body(id, state.responseBody.length, false);
      }
      const ns = (cpuNs() - t) / CHUNKS;
      state.responseBody = new Uint8Array();
      x.proxy_on_response_body(id, 0, true);
      end(id);
      return ns;
    },
    /** ns per plain GET (no request body; the JSON response is not inspected). */
    get() {
      const t = cpuNs();
      for (let i = 0; i < REQUESTS; i++) getRequest();
      return (cpuNs() - t) / REQUESTS;
    },
    /** ns per whole JSON request (headers, both bodies, end). */
    json() {
      const t = cpuNs();
      for (let i = 0; i < REQUESTS; i++) jsonRequest();
      return (cpuNs() - t) / REQUESTS;
    },
  };
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node plugin/bench/v8-host.mjs a.wasm [b.wasm ...]');
  process.exit(2);
}
const filters = files.map(load);
if (COUNT_CALLS) {
  console.log('host calls per request type (stand-in host; metric ids already defined):');
  for (const f of filters) {
    for (const [what, line] of Object.entries(f.calls())) console.log(`  ${f.name.padEnd(22)} ${what.padEnd(10)} ${line}`);
  }
  process.exit(0);
}
// Warm up (V8 tiers the hot functions up), then alternate the filters round by round.
for (const f of filters) {
  f.sse();
  f.json();
  f.get();
}
const results = filters.map(() => ({ sse: [], json: [], get: [] }));
for (let r = 0; r < ROUNDS; r++) {
  filters.forEach((f, i) => {
    results[i].sse.push(f.sse());
    results[i].json.push(f.json());
    results[i].get.push(f.get());
  });
}
console.log(`the filter's own code in Node's V8 ${process.versions.v8} (stand-in host, ${ROUNDS} alternating rounds, medians):`);
const floor = filters.findIndex((f) => f.name === 'probe-floor');
filters.forEach((f, i) => {
  const sse = median(results[i].sse);
  const json = median(results[i].json);
  const get = median(results[i].get);
  let line = `  ${f.name.padEnd(22)} SSE chunk ${sse.toFixed(0).padStart(6)} ns   JSON request ${json.toFixed(0).padStart(7)} ns   GET ${get.toFixed(0).padStart(6)} ns`;
  if (floor >= 0 && floor !== i) {
    const fs = median(results[floor].sse);
    const fj = median(results[floor].json);
    const fg = median(results[floor].get);
    line += `   (above probe-floor: ${(sse - fs).toFixed(0)} ns, ${(json - fj).toFixed(0)} ns, ${(get - fg).toFixed(0)} ns)`;
  }
  console.log(line);
});
