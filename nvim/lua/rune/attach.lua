-- Runs inside Neovim, sent by Rune's Neovim adapter over msgpack-RPC (nvim_exec_lua) when it
-- connects: autocommands that report buffers, cursors, modes, saves and diagnostics to Rune with
-- rpcnotify, buffer text as line changes (nvim_buf_attach), and the actions Rune's IDE tools ask
-- for (open, diff, save, close).
-- Written for Neovim 0.7 (vim.loop, no vim.keymap/vim.fs niceties needed).
local chan, debounce_ms = ...
local api, fn, uv = vim.api, vim.fn, vim.loop

local previous = rawget(_G, "__rune")
if previous and previous.stop then previous.stop() end

local M = { chan = chan, diffs = {} }
_G.__rune = M

local function send(kind, payload)
  -- The channel goes away when Rune exits; Neovim must keep working regardless.
  pcall(vim.rpcnotify, M.chan, "rune", kind, payload)
end

-- Buffer text. Each attached buffer's on_lines changes are merged into one range of lines (in the
-- text as Rune last saw it, and as it is now) and sent when the event-loop turn ends: a keystroke
-- costs one message with its line, and a command that changes thousands of lines one by one (:g,
-- a macro) costs one message with the lines it touched, not one per change.
local attached = {}
-- Buffers Rune follows: a detach it did not ask for (a reload) attaches again.
local wanted = {}
local flush_scheduled = false

local function send_whole(buf)
  send("lines", {
    buf = buf,
    tick = api.nvim_buf_get_changedtick(buf),
    first = 0,
    last = -1,
    lines = api.nvim_buf_get_lines(buf, 0, -1, false),
  })
end

local function flush_lines()
  flush_scheduled = false
  for buf, a in pairs(attached) do
    local p, tick_only = a.pending, a.tick_only
    a.pending, a.tick_only = nil, nil
    if api.nvim_buf_is_loaded(buf) then
      if p and p.whole then
        send_whole(buf)
      elseif p then
        send("lines", {
          buf = buf,
          tick = api.nvim_buf_get_changedtick(buf),
          first = p.first,
          last = p.old_last,
          lines = api.nvim_buf_get_lines(buf, p.first, p.new_last, false),
        })
      elseif tick_only then
        send("tick", { buf = buf, tick = api.nvim_buf_get_changedtick(buf) })
      end
    end
  end
end

local function schedule_flush()
  if flush_scheduled then return end
  flush_scheduled = true
  vim.schedule(flush_lines)
end

-- Every report goes after the text changes made before it, so Rune never sees a cursor in text it
-- does not have yet.
local function notify(kind, payload)
  if flush_scheduled then flush_lines() end
  send(kind, payload)
end

-- Lines [first, last) became [first, new_last): merged with what is pending, as a range of the
-- text Rune has ([first, old_last)) and of the text now ([first, new_last)).
local function on_lines(_, buf, _, first, last, new_last)
  local a = attached[buf]
  if M.stopped or not a then return true end
  local p = a.pending
  if not p then
    a.pending = { first = first, old_last = last, new_last = new_last }
  elseif not p.whole then
    local old_last = p.old_last
    if last > p.new_last then old_last = old_last + (last - p.new_last) end
    p.first = math.min(p.first, first)
    p.old_last = old_last
    p.new_last = math.max(p.new_last, last) + (new_last - last)
  end
  schedule_flush()
end

function M.attach_buffer(buf)
  if not api.nvim_buf_is_loaded(buf) then return false end
  wanted[buf] = true
  if not attached[buf] then
    local ok = api.nvim_buf_attach(buf, false, {
      on_lines = on_lines,
      on_changedtick = function(_, b)
        local a = attached[b]
        if M.stopped or not a then return true end
        a.tick_only = true
        schedule_flush()
      end,
      -- A reload replaces everything: the whole text goes again.
      on_reload = function(_, b)
        local a = attached[b]
        if a and not M.stopped then
          a.pending = { whole = true }
          schedule_flush()
        end
      end,
      -- :edit! unloads and reloads the buffer, which detaches it: attach again, sending it whole.
      on_detach = function(_, b)
        attached[b] = nil
        if wanted[b] and not M.stopped then
          vim.schedule(function()
            if wanted[b] and not M.stopped and api.nvim_buf_is_loaded(b) then M.attach_buffer(b) end
          end)
        end
      end,
    })
    if not ok then return false end
    attached[buf] = {}
  end
  attached[buf].pending = nil
  if flush_scheduled then flush_lines() end
  send_whole(buf)
  return true
end

function M.detach_buffer(buf)
  -- The next callback finds no entry and detaches (a callback returning true).
  wanted[buf] = nil
  attached[buf] = nil
end

-- Positions go to Rune as 0-based lines and UTF-16 characters (LSP's unit), from byte columns.
local function utf16_col(buf, row, byte_col)
  local line = api.nvim_buf_get_lines(buf, row, row + 1, false)[1] or ""
  if byte_col > #line then byte_col = #line end
  local ok, _, u16 = pcall(vim.str_utfindex, line, byte_col)
  return ok and u16 or byte_col
end

-- The byte just past the character that starts at byte_col (Vim's visual selections include it).
local function past_char(line, byte_col)
  local ok, u32 = pcall(vim.str_utfindex, line, byte_col)
  if not ok then return byte_col + 1 end
  local ok2, next_byte = pcall(vim.str_byteindex, line, u32 + 1)
  return ok2 and next_byte or #line
end

local function is_file_buffer(buf)
  return api.nvim_buf_is_valid(buf) and vim.bo[buf].buftype == "" and api.nvim_buf_get_name(buf) ~= ""
end

local function buffer_info(buf)
  return {
    buf = buf,
    path = api.nvim_buf_get_name(buf),
    filetype = vim.bo[buf].filetype,
    tabstop = vim.bo[buf].tabstop,
    modified = vim.bo[buf].modified,
  }
end

-- The current window's selection: Vim's visual modes map to char, line and block selections;
-- other modes give the empty selection at the cursor.
local function current_selection(buf)
  local mode = api.nvim_get_mode().mode
  local cursor = api.nvim_win_get_cursor(0)
  local crow, ccol = cursor[1] - 1, cursor[2]
  local kind = ({ v = "char", V = "line", ["\22"] = "block", s = "char", S = "line", ["\19"] = "block" })[mode]
  if not kind then
    local at = { crow, utf16_col(buf, crow, ccol) }
    return mode, { anchor = at, active = at, mode = "char" }
  end
  local v = fn.getpos("v")
  local arow, acol = v[2] - 1, v[3] - 1
  if kind == "char" then
    -- Inclusive in Vim, exclusive in Rune: extend whichever end comes later by one character,
    -- or to the next line's start when it sits on the end of a line (the newline is selected).
    local cursor_later = crow > arow or (crow == arow and ccol >= acol)
    local erow, ecol = crow, ccol
    if not cursor_later then erow, ecol = arow, acol end
    local line = api.nvim_buf_get_lines(buf, erow, erow + 1, false)[1] or ""
    local end_pos
    if ecol >= #line and erow + 1 < api.nvim_buf_line_count(buf) then
      end_pos = { erow + 1, 0 }
    else
      end_pos = { erow, utf16_col(buf, erow, past_char(line, ecol)) }
    end
    local anchor, active = { arow, utf16_col(buf, arow, acol) }, { crow, utf16_col(buf, crow, ccol) }
    if cursor_later then active = end_pos else anchor = end_pos end
    return mode, { anchor = anchor, active = active, mode = "char" }
  end
  local selection = {
    anchor = { arow, utf16_col(buf, arow, acol) },
    active = { crow, utf16_col(buf, crow, ccol) },
    mode = kind,
  }
  if kind == "block" and fn.winsaveview().curswant >= 2147483647 then selection.toLineEnd = true end
  return mode, selection
end

-- Cursor, mode and dirty state are sent at most once per debounce_ms, with what holds when the
-- timer fires: a burst of motions costs one message, and the last position is never lost.
local timer = uv.new_timer()
local function flush()
  local buf = api.nvim_get_current_buf()
  if not is_file_buffer(buf) then
    notify("state", { mode = api.nvim_get_mode().mode })
    return
  end
  local mode, selection = current_selection(buf)
  notify("state", { buf = buf, mode = mode, selection = selection, modified = vim.bo[buf].modified })
end
local function schedule_state()
  if timer:is_active() then return end
  timer:start(debounce_ms, 0, vim.schedule_wrap(flush))
end

local diagnostic_timers = {}
local function send_diagnostics(buf)
  if not is_file_buffer(buf) then return end
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    items[#items + 1] = {
      lnum = d.lnum,
      col = utf16_col(buf, d.lnum, d.col or 0),
      end_lnum = d.end_lnum or d.lnum,
      end_col = utf16_col(buf, d.end_lnum or d.lnum, d.end_col or d.col or 0),
      severity = d.severity or 1,
      message = d.message or "",
      source = d.source,
      code = d.code ~= nil and tostring(d.code) or nil,
    }
  end
  notify("diagnostics", { buf = buf, items = items })
end
local function schedule_diagnostics(buf)
  if diagnostic_timers[buf] then return end
  local t = uv.new_timer()
  diagnostic_timers[buf] = t
  t:start(debounce_ms, 0, vim.schedule_wrap(function()
    diagnostic_timers[buf] = nil
    t:close()
    send_diagnostics(buf)
  end))
end

local group = api.nvim_create_augroup("rune", { clear = true })
local function on(events, callback)
  api.nvim_create_autocmd(events, { group = group, callback = callback })
end
on({ "BufEnter", "BufFilePost", "FileType" }, function(args)
  if is_file_buffer(args.buf) then notify("buffer", buffer_info(args.buf)) end
  schedule_state()
end)
on({ "CursorMoved", "CursorMovedI", "ModeChanged", "TextChanged", "TextChangedI", "InsertLeave" }, schedule_state)
on("BufWritePost", function(args)
  if is_file_buffer(args.buf) then notify("saved", { buf = args.buf }) end
end)
on({ "BufDelete", "BufWipeout" }, function(args) notify("closed", { buf = args.buf }) end)
on("DiagnosticChanged", function(args) schedule_diagnostics(args.buf) end)

-- Mentions: the user sends a file, a folder or some lines to the agent, which Rune passes on to
-- Claude Code as `at_mentioned` (0-based lines, both included), as claudecode.nvim's
-- :ClaudeCodeSend and :ClaudeCodeAdd do. Lines are typed 1-based, as Vim numbers them.
local function mention(path, first, last)
  path = fn.fnamemodify(fn.expand(path), ":p")
  if fn.isdirectory(path) == 1 then
    if not path:match("/$") then path = path .. "/" end
    first, last = nil, nil
  elseif fn.filereadable(path) ~= 1 then
    vim.notify("rune: no such file: " .. path, vim.log.levels.ERROR)
    return false
  end
  notify("mention", { path = path, lineStart = first and first - 1, lineEnd = last and last - 1 })
  return true
end
M.mention = mention

local function user_command(name, callback, opts)
  pcall(api.nvim_del_user_command, name)
  api.nvim_create_user_command(name, callback, opts)
end
-- :RuneSend sends the lines of a range (:'<,'>RuneSend from visual mode), or the whole file.
user_command("RuneSend", function(opts)
  local buf = api.nvim_get_current_buf()
  if not is_file_buffer(buf) then
    vim.notify("rune: :RuneSend needs a buffer with a file", vim.log.levels.ERROR)
    return
  end
  if opts.range > 0 then
    mention(api.nvim_buf_get_name(buf), opts.line1, opts.line2)
  else
    mention(api.nvim_buf_get_name(buf))
  end
end, { range = true, desc = "Send the selected lines (or the file) to the agent" })
-- :RuneAdd {file} [start] [end] sends a file or folder, or lines of a file.
user_command("RuneAdd", function(opts)
  local args = opts.fargs
  local first, last = tonumber(args[2]), tonumber(args[3])
  local function bad(n, given) return given ~= nil and (n == nil or n < 1 or n ~= math.floor(n)) end
  if #args > 3 or bad(first, args[2]) or bad(last, args[3]) or (first and last and last < first) then
    vim.notify("rune: usage :RuneAdd {file} [start line] [end line], lines from 1, start <= end", vim.log.levels.ERROR)
    return
  end
  mention(args[1], first, last or first)
end, { nargs = "+", complete = "file", desc = "Send a file, a folder or lines of a file to the agent" })

-- Opens a file, in the current window or in the background, selecting lines or text if asked.
function M.open_file(path, opts)
  if opts.background then
    local buf = fn.bufadd(path)
    fn.bufload(buf)
    vim.bo[buf].buflisted = true
    notify("buffer", buffer_info(buf))
    return true
  end
  vim.cmd("edit " .. fn.fnameescape(path))
  local buf = api.nvim_get_current_buf()
  local lines = api.nvim_buf_get_lines(buf, 0, -1, false)
  local function find(text, from)
    for i = from, #lines do
      if lines[i]:find(text, 1, true) then return i end
    end
  end
  local first = opts.startLine or (opts.startText and find(opts.startText, 1))
  local last = opts.endLine or (opts.endText and find(opts.endText, first or 1))
  if first then
    first = math.max(1, math.min(first, #lines))
    api.nvim_win_set_cursor(0, { first, 0 })
    if last and last >= first then
      last = math.min(last, #lines)
      -- Typed, not run: visual mode must outlive this call, which :normal would end.
      local keys = string.format("%dGV%dG", first, last)
      if opts.selectToEndOfLine then keys = keys .. "$" end
      api.nvim_feedkeys(keys, "n", false)
    end
  end
  return true
end

-- A byte column from a UTF-16 one, clamped to the line.
local function byte_col(buf, row, u16)
  local line = api.nvim_buf_get_lines(buf, row, row + 1, false)[1] or ""
  local ok, byte = pcall(vim.str_byteindex, line, u16, true)
  if not ok then return #line end
  return byte
end

-- Shows a selection Rune was given (0-based rows, UTF-16 columns; char mode's end exclusive):
-- the cursor alone when it is empty, else a visual selection from the anchor to the active end.
function M.select(path, anchor, active, mode)
  if api.nvim_buf_get_name(0) ~= path then vim.cmd("edit " .. fn.fnameescape(path)) end
  local buf = api.nvim_get_current_buf()
  local last = api.nvim_buf_line_count(buf) - 1
  local function pos(p)
    local row = math.min(p[1], last)
    return { row, byte_col(buf, row, p[2]) }
  end
  local a, c = pos(anchor), pos(active)
  if mode == "char" and a[1] == c[1] and a[2] == c[2] then
    if api.nvim_get_mode().mode:match("^[vV\22]") then api.nvim_feedkeys("\27", "n", false) end
    api.nvim_win_set_cursor(0, { c[1] + 1, c[2] })
    return true
  end
  if mode == "char" then
    -- Exclusive to inclusive: the later end moves back one character (or to the previous line).
    local later = (c[1] > a[1] or (c[1] == a[1] and c[2] > a[2])) and c or a
    if later[2] > 0 then
      local line = api.nvim_buf_get_lines(buf, later[1], later[1] + 1, false)[1] or ""
      later[2] = vim.str_byteindex(line, math.max(0, vim.str_utfindex(line, later[2]) - 1))
    elseif later[1] > 0 then
      later[1] = later[1] - 1
      later[2] = #(api.nvim_buf_get_lines(buf, later[1], later[1] + 1, false)[1] or "")
    end
  end
  local key = ({ char = "v", line = "V", block = "\22" })[mode] or "v"
  local keys = ""
  if api.nvim_get_mode().mode:match("^[vV\22]") then keys = "\27" end
  -- Typed, not run: visual mode must outlive this call. <Cmd> moves without leaving the mode.
  keys = keys .. string.format("%dG0", a[1] + 1)
  if a[2] > 0 then keys = keys .. string.format("<Cmd>call cursor(%d, %d)<CR>", a[1] + 1, a[2] + 1) end
  keys = keys .. key .. string.format("<Cmd>call cursor(%d, %d)<CR>", c[1] + 1, c[2] + 1)
  api.nvim_feedkeys(api.nvim_replace_termcodes(keys, true, false, true), "n", false)
  return true
end

function M.save(path)
  for _, buf in ipairs(api.nvim_list_bufs()) do
    if api.nvim_buf_is_loaded(buf) and api.nvim_buf_get_name(buf) == path then
      api.nvim_buf_call(buf, function() vim.cmd("silent write") end)
      return true
    end
  end
  return false
end

local function resolve_diff(name, outcome, contents)
  local diff = M.diffs[name]
  if not diff or diff.done then return end
  diff.done = true
  notify("diff", { tab = name, outcome = outcome, contents = contents })
end

-- A diff in its own tab: the file on the left, the proposal in a scratch buffer on the right.
-- :w in the proposal accepts it (its text goes to Rune; the file is left to the caller); closing
-- it rejects.
function M.open_diff(old_path, new_path, contents, name)
  if M.diffs[name] then M.close_tab(name) end
  vim.cmd("tabnew")
  local tab = api.nvim_get_current_tabpage()
  if fn.filereadable(old_path) == 1 then
    vim.cmd("edit " .. fn.fnameescape(old_path))
  end
  vim.cmd("diffthis")
  vim.cmd("vnew")
  local buf = api.nvim_get_current_buf()
  vim.bo[buf].buftype = "acwrite"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  api.nvim_buf_set_name(buf, "rune-diff://" .. name .. "/" .. fn.fnamemodify(new_path, ":t"))
  local lines = vim.split(contents, "\n", { plain = true })
  if lines[#lines] == "" then table.remove(lines) end
  api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modified = false
  vim.cmd("diffthis")
  M.diffs[name] = { buf = buf, tab = tab }
  api.nvim_create_autocmd("BufWriteCmd", {
    group = group,
    buffer = buf,
    callback = function()
      local text = table.concat(api.nvim_buf_get_lines(buf, 0, -1, false), "\n") .. "\n"
      vim.bo[buf].modified = false
      resolve_diff(name, "accepted", text)
    end,
  })
  api.nvim_create_autocmd({ "BufWipeout", "BufUnload" }, {
    group = group,
    buffer = buf,
    callback = function() resolve_diff(name, "rejected") end,
  })
  return true
end

-- Closes a diff by its tab name, or else the buffer of a file by its path or name.
function M.close_tab(name)
  local diff = M.diffs[name]
  if diff then
    resolve_diff(name, "rejected")
    M.diffs[name] = nil
    if api.nvim_tabpage_is_valid(diff.tab) and #api.nvim_list_tabpages() > 1 then
      vim.cmd("tabclose! " .. api.nvim_tabpage_get_number(diff.tab))
    end
    if api.nvim_buf_is_valid(diff.buf) then api.nvim_buf_delete(diff.buf, { force = true }) end
    return true
  end
  for _, buf in ipairs(api.nvim_list_bufs()) do
    local full = api.nvim_buf_get_name(buf)
    if full ~= "" and (full == name or fn.fnamemodify(full, ":t") == name) then
      api.nvim_buf_delete(buf, { force = false })
      return true
    end
  end
  return false
end

function M.close_all_diffs()
  local count = 0
  for name in pairs(M.diffs) do
    if M.close_tab(name) then count = count + 1 end
  end
  return count
end

function M.stop()
  M.stopped = true
  attached, wanted = {}, {}
  timer:stop()
  pcall(api.nvim_del_augroup_by_id, group)
  pcall(api.nvim_del_user_command, "RuneSend")
  pcall(api.nvim_del_user_command, "RuneAdd")
end

-- What the adapter needs to start: every file buffer, the current one, and Neovim's version.
local buffers = {}
for _, buf in ipairs(api.nvim_list_bufs()) do
  if is_file_buffer(buf) and vim.bo[buf].buflisted then buffers[#buffers + 1] = buffer_info(buf) end
end
schedule_state()
local v = vim.version()
return { buffers = buffers, version = string.format("%d.%d.%d", v.major, v.minor, v.patch) }
