local function add(a, b) return a + b end
local function inc(x) return add(x, 1) end
local function run(n)
  local acc = 0
  for i = 0, n - 1 do acc = inc(acc) end
  return acc
end
print(run(5000000))
