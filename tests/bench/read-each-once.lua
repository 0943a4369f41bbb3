-- wrk script: reads each path of a file once, in order, then stops (tests/bench/fresh-pages.ts).
-- Arguments after `--`: the paths file, and optionally a marker every 200 body must contain
-- (a page that lacks it is counted as stale). Prints one line
-- "waypost read=… non200=… stale=… elapsed_ns=…". The script times the reads itself, from before
-- its connections open to the last path's answer (`date +%s%N`: the shell's start cost falls at
-- both ends and about cancels), because wrk's own duration ends with its interruption.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function now_ns()
  local p = io.popen("date +%s%N")
  local t = p:read("*n")
  p:close()
  return t
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  marker = args[2]
  issued, read, non200, stale, elapsed_ns = 0, 0, 0, 0, 0
  started_ns = now_ns()
end

function request()
  issued = issued + 1
  -- Connections still waiting when the last path is read get an answer that is not waited for:
  -- past the end they ask for the first paths again (a second read, the same for both servers).
  return wrk.format("GET", paths[((issued - 1) % #paths) + 1])
end

function response(status, headers, body)
  read = read + 1
  if read > #paths then
    return
  end
  if status ~= 200 then
    non200 = non200 + 1
  elseif marker and not string.find(body, marker, 1, true) then
    stale = stale + 1
  end
  if read == #paths then
    elapsed_ns = now_ns() - started_ns
    wrk.thread:stop()
    -- wrk sleeps out -d whatever its threads do: this line tells the caller to interrupt it.
    io.stderr:write("waypost finished\n")
    io.stderr:flush()
  end
end

function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    io.write(
      string.format(
        "waypost read=%d non200=%d stale=%d elapsed_ns=%d\n",
        math.min(t:get("read"), #t:get("paths")),
        t:get("non200"),
        t:get("stale"),
        t:get("elapsed_ns")
      )
    )
  end
end
