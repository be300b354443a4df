-- Rune for Neovim: starts `rune serve` for the current folder and attaches it to this Neovim, so
-- AI agents connected to Rune (Claude Code through /ide, or any MCP client over stdio or HTTP) see
-- your buffers, cursor, selections and diagnostics, and can open files and diffs here.
--
-- Add the `nvim` folder of the Rune package to 'runtimepath' and call setup, e.g.:
--   vim.opt.runtimepath:append("/path/to/rune-mcp/nvim")
--   require("rune").setup({ cmd = { "rune" } })
-- Works with Neovim 0.7 and later.
local M = {}

local defaults = {
  -- How to run Rune: the `rune` binary, or { "node", "/path/to/dist/src/cli/main.js" }.
  cmd = { "rune" },
  -- Extra arguments for `rune serve`; the Claude Code IDE endpoint by default.
  args = { "--ide" },
  -- Start when Neovim starts; otherwise run :RuneStart.
  auto_start = true,
}

local job

function M.start(opts)
  opts = vim.tbl_extend("force", M.opts or defaults, opts or {})
  if job then
    vim.notify("rune: already running", vim.log.levels.INFO)
    return
  end
  -- Rune connects back over the address Neovim listens on; start one if there is none.
  local address = vim.v.servername
  if address == nil or address == "" then address = vim.fn.serverstart() end
  local argv = vim.list_extend(vim.deepcopy(opts.cmd), { "serve", "--nvim", address })
  vim.list_extend(argv, opts.args)
  table.insert(argv, vim.fn.getcwd())
  job = vim.fn.jobstart(argv, {
    on_stderr = function(_, lines)
      for _, line in ipairs(lines) do
        if line:match("^rune: ") or line:match("ERROR") then vim.notify(line, vim.log.levels.WARN) end
      end
    end,
    on_exit = function(_, code)
      job = nil
      if code ~= 0 and code ~= 143 then vim.notify("rune: exited with code " .. code, vim.log.levels.WARN) end
    end,
  })
  if job <= 0 then
    vim.notify("rune: could not start " .. table.concat(opts.cmd, " "), vim.log.levels.ERROR)
    job = nil
  end
end

function M.stop()
  if job then vim.fn.jobstop(job) end
  job = nil
end

function M.setup(opts)
  M.opts = vim.tbl_extend("force", defaults, opts or {})
  vim.api.nvim_create_user_command("RuneStart", function() M.start() end, {})
  vim.api.nvim_create_user_command("RuneStop", function() M.stop() end, {})
  vim.api.nvim_create_autocmd("VimLeavePre", { callback = M.stop })
  if M.opts.auto_start then M.start() end
end

return M
