local function run(n, m)
  local total = 0
  for i = 0, n - 1 do
    total = total + i % 7
  end
  local j = 0
  while j < m do
    j = j + 1
  end
  return total, j
end
local t, j = run(20000000, 5000000)
print(t .. " " .. j)
