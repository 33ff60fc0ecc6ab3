-- The benchmark's peer (`cargo xtask bench-plugin`, tests/benches/gateway_plugin.rs): what a
-- platform team would write by hand with Envoy's built-in Lua filter (envoy.filters.http.lua)
-- instead of the scalelens filter. On the inspected routes it counts an SSE response's
-- `data:` events and reads `completion_tokens` from its final usage chunk (or from a JSON
-- response's body), streaming (`bodyChunks` yields each chunk as it arrives; nothing is
-- buffered), and leaves both in the request's dynamic metadata (`scalelens.lua`), where an
-- access log could read them. It does less than the filter (no model, no TTFT, no windows or
-- recommendation, no metrics; an event split across chunks is miscounted): a lower bound of
-- what a hand-written signal costs. Not shipped; only the benchmark loads it.

local NS = "scalelens.lua"

function envoy_on_request(handle)
  local path = handle:headers():get(":path") or ""
  if path:sub(1, 20) == "/v1/chat/completions" or path:sub(1, 15) == "/v1/completions" then
    handle:streamInfo():dynamicMetadata():set(NS, "inspect", true)
  end
end

function envoy_on_response(handle)
  local meta = handle:streamInfo():dynamicMetadata():get(NS)
  if meta == nil or not meta["inspect"] then
    return
  end
  local sse = (handle:headers():get("content-type") or ""):find("text/event-stream", 1, true)
  local events, tokens = 0, -1
  for chunk in handle:bodyChunks() do
    local bytes = chunk:getBytes(0, chunk:length())
    if sse then
      local at = 1
      while true do
        local s = bytes:find("data:", at, true)
        if s == nil then break end
        events = events + 1
        at = s + 5
      end
    end
    local t = bytes:match('"completion_tokens":%s*(%d+)')
    if t then tokens = tonumber(t) end
  end
  handle:streamInfo():dynamicMetadata():set(NS, "events", events)
  handle:streamInfo():dynamicMetadata():set(NS, "completion_tokens", tokens)
end
