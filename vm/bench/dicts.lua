local function run(n)
  local d = {}
  local size = 0
  for i = 0, n - 1 do
    local k = "k" .. tostring(i % 1000)
    if d[k] == nil then size = size + 1 end
    d[k] = i
  end
  local hits = 0
  local keys = {}
  for i = 0, 999 do keys[#keys + 1] = "k" .. tostring(i) end
  for r = 1, 2000 do
    for _, k in ipairs(keys) do
      if d[k] > 0 then hits = hits + 1 end
    end
  end
  return size, hits
end
local a, b = run(200000)
print("(" .. a .. ", " .. b .. ")")
