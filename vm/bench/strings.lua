local function run(n)
  local parts = {}
  for i = 0, n - 1 do parts[#parts + 1] = "item" .. tostring(i) end
  local s = table.concat(parts, ",")
  local count = 0
  for p in string.gmatch(s, "[^,]+") do
    if string.sub(p, -1) == "7" then count = count + 1 end
  end
  return #s, count
end
local a, b = run(200000)
print("(" .. a .. ", " .. b .. ")")
