-- wrk script for the bench (bench/wrk-load.ts runs it): sends pre-signed workflow.create
-- requests, each exactly once, and writes what happened as JSON.
--
--   wrk -t T -c C -d Ds --latency --timeout 30s -s bench/wrk-create.lua URL -- DIR
--
-- wrk's Lua cannot compute the KSig1 HMAC, and the server refuses a nonce it has seen (401), so
-- the bench signs every request beforehand: DIR/requests-<n>.txt holds thread n's requests as
-- "<byte length>\n<raw HTTP/1.1 request>" records. Each thread reads only its own file, so no
-- two threads can send the same request. When a thread runs out it stops sending and says so
-- in the summary (the bench then fails) rather than send a request twice.
-- The summary goes to DIR/summary.json.

-- Main state: setup() and done() run here, once per thread and once at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
end

-- Thread state (one Lua state per wrk thread). Globals, so that done() can read them with get().
handed_out = 0
exhausted = false
statuses = {}
failures = {}
local file

function init(args)
  directory = args[1]
  file = assert(io.open(directory .. "/requests-" .. thread_index .. ".txt", "rb"))
  -- A large buffer: one read(2) per some thousand requests instead of one per few.
  file:setvbuf("full", 1024 * 1024)
end

local function first_number(path)
  local f = io.open(path, "r")
  if not f then return nil end
  local value = f:read("*n")
  f:close()
  return value
end

-- wrk calls request() once on the first thread's state before any thread runs, only to check
-- that the script's request parses, and never sends that one. It runs on wrk's main OS thread,
-- whose thread id is the process id; the real calls run on wrk's own threads.
local function on_main_thread()
  return first_number("/proc/thread-self/stat") == first_number("/proc/self/stat")
end

local checked = false

function request()
  local length = file:read("*l")
  if not length then
    exhausted = true
    wrk.thread:stop()
    -- An empty request writes nothing; the stopped thread sends no more.
    return ""
  end
  if not checked then
    checked = true
    if on_main_thread() then
      -- Used up by the check, never sent: it must not be handed out again either.
      return file:read(tonumber(length))
    end
  end
  handed_out = handed_out + 1
  return file:read(tonumber(length))
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if (status < 200 or status > 299) and #failures < 5 then
    table.insert(failures, status .. " " .. body)
  end
end

-- A minimal JSON encoder for the summary: numbers, booleans, strings, arrays and string-keyed tables.
local function json(value)
  local kind = type(value)
  if kind == "number" then
    return string.format("%.17g", value)
  elseif kind == "boolean" then
    return tostring(value)
  elseif kind == "string" then
    return '"' .. value:gsub('[%c"\\]', function(c)
      return string.format("\\u%04x", c:byte())
    end) .. '"'
  elseif #value > 0 then
    local items = {}
    for _, item in ipairs(value) do table.insert(items, json(item)) end
    return "[" .. table.concat(items, ",") .. "]"
  else
    local items = {}
    for key, item in pairs(value) do table.insert(items, json(tostring(key)) .. ":" .. json(item)) end
    return "{" .. table.concat(items, ",") .. "}"
  end
end

-- utime + stime of the whole wrk process (all its threads) so far, in clock ticks.
local function cpu_ticks()
  local f = assert(io.open("/proc/self/stat", "r"))
  local stat = f:read("*a")
  f:close()
  -- The fields after the command name (which may hold spaces) start with the state, field 3.
  local fields = {}
  for field in stat:sub(stat:find(")", 1, true) + 2):gmatch("%S+") do table.insert(fields, field) end
  return tonumber(fields[12]) + tonumber(fields[13])
end

function done(summary, latency, requests)
  local sent, exhausted_threads, status_counts, first_failures = 0, 0, {}, {}
  for _, thread in ipairs(threads) do
    sent = sent + thread:get("handed_out")
    if thread:get("exhausted") then exhausted_threads = exhausted_threads + 1 end
    for status, count in pairs(thread:get("statuses")) do
      status_counts[status] = (status_counts[status] or 0) + count
    end
    for _, failure in ipairs(thread:get("failures")) do
      if #first_failures < 5 then table.insert(first_failures, failure) end
    end
  end
  local function us_to_ms(us) return us / 1000 end
  local out = assert(io.open(threads[1]:get("directory") .. "/summary.json", "w"))
  out:write(json({
    threads = #threads,
    sent = sent,
    exhausted_threads = exhausted_threads,
    requests = summary.requests,
    duration_s = summary.duration / 1e6,
    status_codes = status_counts,
    failures = first_failures,
    errors = summary.errors,
    p50_ms = us_to_ms(latency:percentile(50)),
    p99_ms = us_to_ms(latency:percentile(99)),
    max_ms = us_to_ms(latency.max),
    cpu_ticks = cpu_ticks(),
  }))
  out:close()
end
